import type {
  OpenAPIObject,
  OperationObject,
  PathItemObject,
  ReferenceObject,
  ResponsesObject,
  SchemaObject,
} from '@nestjs/swagger';
import { ERROR_DESCRIPTIONS } from './api-responses';
import { ErrorResponseDto } from './error-response.dto';

export const BEARER = 'bearer';
const PUBLIC_FORBIDDEN = 'Sent with the token of a suspended or banned member';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The statuses every route shares, added in one place so no operation forgets them:
 * - security: a route marked `@Public()` (its security holds `{}`) takes guests, and a bearer token when given;
 *   every other route needs a member's bearer token, and so may answer 401. Any route may answer 403 (a token of a
 *   suspended or banned member; a role too low), as the auth guard decides;
 * - 400 when it takes parameters or a body; 413 when it takes a body;
 * - 429 and 503 everywhere (with `Retry-After`).
 * Each error answers with the one shared error schema. Operations keep what they declared themselves.
 * Nullable object properties are written so that validators accept null too (see nullableRefs).
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const errorRef = { $ref: `#/components/schemas/${ErrorResponseDto.name}` };
  const retryAfter = {
    'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer' } },
  };
  for (const schema of Object.values(document.components?.schemas ?? {})) nullableRefs(schema as SchemaObject);
  for (const item of Object.values(document.paths) as PathItemObject[]) {
    for (const method of METHODS) {
      const op = item[method] as OperationObject | undefined;
      if (!op) continue;
      const isPublic = (op.security ?? []).some((s) => Object.keys(s).length === 0);
      op.security = isPublic ? [{}, { [BEARER]: [] }] : [{ [BEARER]: [] }];
      const codes = [
        ...((op.parameters?.length ?? 0) > 0 || op.requestBody ? [400] : []),
        ...(isPublic ? [] : [401]),
        403,
        ...(op.requestBody ? [413] : []),
        429,
        503,
      ];
      const responses: ResponsesObject = op.responses ?? {};
      for (const code of codes) {
        responses[code] ??= {
          description: code === 403 && isPublic ? PUBLIC_FORBIDDEN : ERROR_DESCRIPTIONS[code],
          content: { 'application/json': { schema: errorRef } },
        };
      }
      for (const code of [429, 503]) {
        const r = responses[code] as { headers?: Record<string, unknown> };
        r.headers = { ...retryAfter, ...r.headers };
      }
      op.responses = responses;
    }
  }
  return document;
}

/** The OpenAPI 3.0 schema of `null` alone. */
const NULL_ONLY: SchemaObject = { type: 'object', nullable: true, enum: [null] };

/**
 * `@ApiProperty({type: Model, nullable: true})` comes out as `{nullable: true, allOf: [{$ref}]}`, and in OpenAPI 3.0
 * `nullable` does not reach into `allOf`: strict validators refuse null there. Such properties become
 * `oneOf: [{$ref}, null-only]`, which validators and client generators alike read as "Model or null".
 */
function nullableRefs(schema: SchemaObject): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const p = property as SchemaObject;
    const ref = p.allOf?.length === 1 ? (p.allOf[0] as ReferenceObject) : undefined;
    if (p.nullable && ref?.$ref) {
      schema.properties![name] = { ...(p.description ? { description: p.description } : {}), oneOf: [ref, NULL_ONLY] };
    }
  }
}
