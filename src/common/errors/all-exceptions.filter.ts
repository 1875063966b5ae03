import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Inject,
  Logger,
  NotFoundException,
  Optional,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mapError } from './error-mapping';
import { OutageLog } from './outage-log';

/** Shows an error as a web page; given by the web feature, used for browsers outside /api (an unknown address). */
export interface HtmlErrorPage {
  show(request: FastifyRequest, reply: FastifyReply, exception: unknown): Promise<void>;
}
export const HTML_ERROR_PAGE = Symbol('HTML_ERROR_PAGE');

/**
 * Every HTTP error leaves through here: the contract's shape, Retry-After where it applies, never a stack. Outside
 * /api, browsers get a page instead, and so does anyone at an unknown address (the site's 404 page).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  private readonly outages = new OutageLog(this.logger);

  constructor(@Optional() @Inject(HTML_ERROR_PAGE) private readonly htmlPage?: HtmlErrorPage) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (this.htmlPage && !request.url.startsWith('/api') && (wantsHtml(request) || isUnknownAddress(exception))) {
      return this.htmlPage.show(request, reply, exception);
    }
    const mapped = mapError(exception);
    if (mapped.unexpected) {
      this.logger.error(`request ${request.id}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    } else if (mapped.body.statusCode === 503) {
      this.outages.seen(String(mapped.body.message));
    }
    if (mapped.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mapped.retryAfterSeconds));
    else if (mapped.body.statusCode === 503 || mapped.body.statusCode === 429) {
      if (!reply.hasHeader('Retry-After')) reply.header('Retry-After', '5');
    }
    void reply.status(mapped.body.statusCode).send(mapped.body);
  }
}

function wantsHtml(request: FastifyRequest): boolean {
  return request.headers.accept?.includes('text/html') === true;
}

/** Nest's answer to an address no route has: outside /api it is the site's kind 404 page, whatever was accepted. */
function isUnknownAddress(exception: unknown): boolean {
  return exception instanceof NotFoundException && /^Cannot [A-Z]+ /.test(exception.message);
}
