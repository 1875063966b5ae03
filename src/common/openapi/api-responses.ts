import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/**
 * Response decorators for the OpenAPI document, so that every operation says what it answers. The statuses every
 * route shares (400 for bad input, 401 on member routes, 403, 413, 429, 503) are added in one place when the
 * document is built (complete-document.ts); an operation names here only the errors of its own.
 */
export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: the message names the field',
  401: 'Not signed in, or the token is no longer valid',
  403: 'Not allowed (role, author only, suspended, banned, silenced, locked thread)',
  404: 'Unknown, or not visible to you',
  409: 'Conflict (taken name, already done)',
  410: 'Gone: it expired or was withdrawn',
  413: 'Body too large',
  422: 'Refused by a content rule (watched word)',
  429: 'Too many requests: try again after Retry-After seconds',
  503: 'The database or Redis is briefly unreachable: try again after Retry-After seconds',
};

export const errorSchema = () => ({ $ref: getSchemaPath(ErrorResponseDto) });

/** Errors of this operation, each with the shared error schema; `descriptions` overrides the generic wording. */
export function ApiErrors(codes: number[], descriptions: Record<number, string> = {}) {
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...codes.map((status) =>
      ApiResponse({ status, description: descriptions[status] ?? ERROR_DESCRIPTIONS[status], schema: errorSchema() }),
    ),
  );
}

type Model = Type<unknown>;
const one = (model: Model) => ({ $ref: getSchemaPath(model) });
const listOf = (model: Model) => ({ type: 'array' as const, items: one(model) });

/** 200 with one `model`, or an array of it (`[model]`). */
export function ApiOk(model: Model | [Model], description = 'OK') {
  const m = Array.isArray(model) ? model[0] : model;
  return applyDecorators(
    ApiExtraModels(m),
    ApiOkResponse({ description, schema: Array.isArray(model) ? listOf(m) : one(m) }),
  );
}

/** 201 with `model`. */
export function ApiCreated(model: Model, description = 'Created') {
  return applyDecorators(ApiExtraModels(model), ApiCreatedResponse({ description, schema: one(model) }));
}

/** 202 with `model`: taken, and what follows happens later (a mail, a job). */
export function ApiAccepted(model: Model, description = 'Accepted') {
  return applyDecorators(ApiExtraModels(model), ApiAcceptedResponse({ description, schema: one(model) }));
}

/** 201 published, or 202 while it waits for a moderator (`status: "pending"`); both with `model`. */
export function ApiCreatedOrPending(model: Model) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiCreatedResponse({ description: 'Published (`status: "published"`)', schema: one(model) }),
    ApiAcceptedResponse({
      description: 'Held for review (`status: "pending"`): only you and moderators see it until it is approved',
      schema: one(model),
    }),
  );
}

/** 204, no body. */
export const ApiNoContent = (description = 'Done; no body') => ApiNoContentResponse({ description });

/** `{items: [model], nextCursor}`: one named schema per item type (`<Item>Page`), made once. */
const pages = new Map<Model, Model>();
export function pageOf(model: Model): Model {
  let page = pages.get(model);
  if (!page) {
    class Paged {
      @ApiProperty({ type: [model] })
      items!: unknown[];

      @ApiProperty({
        type: 'string',
        nullable: true,
        description: 'pass it as ?cursor= for the next page; null at the end',
      })
      nextCursor!: string | null;
    }
    Object.defineProperty(Paged, 'name', { value: `${model.name.replace(/Dto$/, '')}Page` });
    page = Paged;
    pages.set(model, page);
  }
  return page;
}

/** 200 with a page of a list (`?limit=`, `?cursor=`). */
export function ApiPaged(model: Model, description = 'One page of the list') {
  return ApiOk(pageOf(model), description);
}

/** 200 with one of several models (e.g. the kinds of a captcha challenge). */
export function ApiOkOneOf(models: Model[], description = 'OK') {
  return applyDecorators(ApiExtraModels(...models), ApiOkResponse({ description, schema: { oneOf: models.map(one) } }));
}
