import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's headers, computed once at boot (@fastify/helmet runs helmet's whole middleware on every request, which
 * cost ~10% of a list request's CPU for headers that never change). Set on every answer by `securityHeaders`, and on
 * the load shedder's refusals, which never reach Fastify.
 */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let called = false;
  helmet(options)({ headers: {} } as never, res as never, (err?: unknown) => {
    if (err) throw err;
    called = true;
  });
  if (!called) throw new Error('helmet did not finish synchronously; its headers cannot be precomputed');
  return headers;
}

/** Sets `headers` (from helmetHeaders) on every answer, by one hook. */
export function securityHeaders(fastify: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers as Record<string, string>);
    done();
  });
}
