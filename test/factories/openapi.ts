import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import Ajv from 'ajv';
import type { Response } from 'supertest';
import ts from 'typescript';
import { PUBLIC_KEY } from '../../src/common/auth/auth.decorators';
import type { TestApp } from '../app';

export type Json = Record<string, unknown>;
export interface Operation {
  operationId?: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Json }>;
  requestBody?: Json;
  responses: Record<string, { description: string; content?: Record<string, { schema?: Json }> }>;
  security?: Array<Record<string, string[]>>;
}
export interface Doc {
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([route, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${route}`, route, method, op })),
  );

export const jsonSchemaOf = (op: Operation, status: string | number) =>
  op.responses[String(status)]?.content?.['application/json']?.schema;

/** Every API route Nest serves (controllers not excluded from the document), with whether the guard lets guests in. */
export function servedRoutes(t: TestApp): Map<string, boolean> {
  const routes = new Map<string, boolean>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller || Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, controller)?.[0]) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const route = `/api/${base}/${sub}`
          .replace(/\/+/g, '/')
          .replace(/\/$/, '')
          .replace(/:(\w+)/g, '{$1}');
        const isPublic = !!(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller));
        routes.set(`${method} ${route}`, isPublic);
      }
    }
  }
  return routes;
}

/** The keywords an OpenAPI 3.0 Schema Object may hold (extensions start with x-). */
const SCHEMA_KEYS = new Set([
  ...['title', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength'],
  ...['pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'enum', 'type'],
  ...['allOf', 'oneOf', 'anyOf', 'not', 'items', 'properties', 'additionalProperties', 'description', 'format'],
  ...['default', 'nullable', 'discriminator', 'readOnly', 'writeOnly', 'xml', 'externalDocs', 'example', 'deprecated'],
  '$ref',
]);

/** Keys of `schema` (and its sub-schemas) that are no OpenAPI schema keyword, as `where: key`. */
export function badSchemaKeys(schema: unknown, where: string, out: string[] = []): string[] {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Json;
  for (const key of Object.keys(s)) {
    if (!SCHEMA_KEYS.has(key) && !key.startsWith('x-')) out.push(`${where}: ${key}`);
  }
  for (const [key, value] of Object.entries((s.properties as Json | undefined) ?? {})) {
    badSchemaKeys(value, `${where}.${key}`, out);
  }
  for (const key of ['items', 'not', 'additionalProperties']) badSchemaKeys(s[key], `${where}.${key}`, out);
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    ((s[key] as unknown[] | undefined) ?? []).forEach((sub, i) => badSchemaKeys(sub, `${where}.${key}[${i}]`, out));
  }
  return out;
}

/**
 * Generates TypeScript types from the document with openapi-typescript, as a client project would (it is ESM-only,
 * so it runs as its own process), then type-checks `client` (which imports `./api`) against them.
 * Answers the compiler's messages: none when the client fits the document.
 */
export function typeCheckClient(doc: Doc, client: string): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'haven-openapi-'));
  try {
    writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(doc));
    const cli = path.join(path.dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
    execFileSync(process.execPath, [cli, 'openapi.json', '-o', 'api.d.ts'], { cwd: dir, stdio: 'pipe' });
    writeFileSync(path.join(dir, 'client.ts'), client);
    const program = ts.createProgram([path.join(dir, 'client.ts')], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Marks every object schema with properties as closed, so an answer's undeclared field shows as a difference. */
function closed<T>(schema: T): T {
  if (Array.isArray(schema)) schema.forEach(closed);
  else if (schema && typeof schema === 'object') {
    const s = schema as Json;
    if (s.properties && s.additionalProperties === undefined) s.additionalProperties = false;
    Object.values(s).forEach(closed);
  }
  return schema;
}

/**
 * Checks real answers against the document: finds the operation by the request's method and path, takes the schema
 * declared for the answer's status, and validates the body with ajv (a field the document does not declare counts as a
 * difference too). `check(res)` answers the problems found
 * (empty when the answer is as declared).
 */
export function answerChecker(doc: Doc) {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ components: closed(structuredClone(doc.components)) }, 'openapi');
  const routes = Object.keys(doc.paths).map((route) => ({
    route,
    pattern: new RegExp(`^${route.replace(/\{\w+\}/g, '[^/]+')}$`),
  }));
  return (res: Response): string[] => {
    const request = (res as unknown as { req: { method: string; path: string } }).req;
    const urlPath = request.path.split('?')[0];
    const method = request.method.toLowerCase();
    const found = routes.find((r) => r.pattern.test(urlPath) && doc.paths[r.route][method]);
    const where = `${request.method} ${urlPath} ${res.status}`;
    if (!found) return [`${where}: no such operation`];
    const schema = jsonSchemaOf(doc.paths[found.route][method], res.status);
    if (!schema) return [`${where}: no schema declared for this status`];
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/', '"openapi#/')) as object);
    if (validate(res.body)) return [];
    return (validate.errors ?? []).map((e) => {
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      return `${where}: ${e.instancePath || '/'} ${e.message}${extra ? ` (${extra})` : ''}`;
    });
  };
}
