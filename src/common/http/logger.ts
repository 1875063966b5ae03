import type { FastifyInstance } from 'fastify';
import type { Params } from 'nestjs-pino';
import pino, { type Logger } from 'pino';
import type { AppConfig } from '../../config/config';

/**
 * One pino logger for the app's own messages (through nestjs-pino) and for request logs. Request logs come from a
 * Fastify onResponse hook, not pino-http's per-request middleware (which cost ~10% of a list request's CPU even
 * when nothing was logged): the request id (app.ts), method, path with query values masked, status, time. Never
 * bodies, never headers (so never a token or a cookie).
 */
export function createLogger(config: AppConfig): Logger {
  return pino({ level: config.logLevel });
}

export function loggerOptions(logger: Logger): Params {
  // No routes: nestjs-pino provides the Nest logger only; requests are logged by logRequests below.
  return { pinoHttp: { logger }, forRoutes: [] };
}

export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('info')) {
    fastify.addHook('onResponse', (request, reply, done) => {
      if (reply.statusCode >= 500 && logger.isLevelEnabled('error')) {
        logger.error(
          entry(request.id, request.method, request.url, reply.statusCode, reply.elapsedTime),
          'request failed',
        );
      }
      done();
    });
    return;
  }
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!request.url.startsWith('/api/health')) {
      const line = entry(request.id, request.method, request.url, reply.statusCode, reply.elapsedTime);
      if (reply.statusCode >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request completed');
    }
    done();
  });
}

function entry(id: string, method: string, url: string, statusCode: number, elapsed: number) {
  return { req: { id, method, url: redactUrl(url) }, res: { statusCode }, responseTime: Math.round(elapsed * 10) / 10 };
}

/**
 * Query strings may carry tokens (a socket handshake, a link): keep the path only, and the names of parameters. A
 * journal's paths carry a share link's token or the day she wrote about: those segments are masked too.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = redactPath(q < 0 ? url : url.slice(0, q));
  if (q < 0) return path;
  const names = [...new URLSearchParams(url.slice(q + 1)).keys()];
  return `${path}?${names.map((n) => `${n}=…`).join('&')}`;
}

const JOURNAL_SECRETS = /(\/journal\/(?:shared|entries)\/)[^/]+/;
const redactPath = (path: string) => path.replace(JOURNAL_SECRETS, '$1…');
