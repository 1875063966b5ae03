import { type ArgumentsHost, Catch, type ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HtmlErrorPage } from '../../common/errors/all-exceptions.filter';
import { mapError } from '../../common/errors/error-mapping';
import type { Principal } from '../../common/auth/principal';
import { Pages } from './pages';
import { WebSession } from './web-session';

/**
 * A web page's errors are pages too: a guest who needs to sign in is sent there (and back afterwards); an unknown
 * address or item is a kind 404 page (home, search, the support lines; never "Cannot GET"); anything else is a calm
 * page with the status and the contract's message, never a stack.
 */
@Catch()
@Injectable()
export class WebExceptionFilter implements ExceptionFilter, HtmlErrorPage {
  private readonly logger = new Logger('WebErrors');

  constructor(
    private readonly pages: Pages,
    private readonly session: WebSession,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    return this.show(host.switchToHttp().getRequest<FastifyRequest>(), host.switchToHttp().getResponse(), exception);
  }

  async show(request: FastifyRequest, reply: FastifyReply, exception: unknown): Promise<void> {
    // An unknown address never reached the guard: still show the member as signed in.
    const withPrincipal = request as FastifyRequest & { principal?: Principal };
    if (!withPrincipal.principal)
      withPrincipal.principal = await this.session.principal(request, reply).catch(() => undefined);
    const mapped = mapError(exception);
    if (mapped.unexpected) {
      this.logger.error(`request ${request.id}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    }
    const status = mapped.body.statusCode;
    if (status === 401 && (request.method === 'GET' || request.method === 'HEAD')) {
      void reply.redirect(`/signin?next=${encodeURIComponent(request.url)}`, 303);
      return;
    }
    if (mapped.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(mapped.retryAfterSeconds));
    try {
      await this.pages.render(
        request,
        reply,
        'error',
        titleFor(status),
        { status, message: mapped.body.message, what: status === 404 ? missingThing(mapped.body.message) : undefined },
        {
          status,
          noindex: true,
        },
      );
    } catch (err) {
      this.logger.error(
        `request ${request.id}: the error page failed: ${err instanceof Error ? err.stack : String(err)}`,
      );
      if (!reply.sent) void reply.status(status).type('text/plain; charset=utf-8').send(mapped.body.message);
    }
  }
}

function titleFor(status: number): string {
  if (status === 401) return 'Please sign in';
  if (status === 403) return 'Not allowed';
  if (status === 404) return 'Page not found';
  if (status === 409) return 'Already done';
  if (status === 413) return 'Too long';
  if (status === 429) return 'Please slow down';
  if (status >= 500) return 'Something went wrong';
  return 'Please check and try again';
}

/** "Thread not found" → "this thread": what the kind 404 page says it could not find (the page, by default). */
function missingThing(message: string | string[]): string | undefined {
  const what = typeof message === 'string' ? /^([A-Za-z ]{1,40}) not found$/.exec(message)?.[1] : undefined;
  return what ? `this ${what.toLowerCase()}` : undefined;
}
