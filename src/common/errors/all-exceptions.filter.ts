import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mapError } from './error-mapping';

/** Every HTTP error leaves through here: the contract's shape, Retry-After where it applies, never a stack. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const mapped = mapError(exception);
    if (mapped.unexpected) {
      const requestId = host.switchToHttp().getRequest<FastifyRequest>().id;
      this.logger.error(`request ${requestId}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    }
    if (mapped.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mapped.retryAfterSeconds));
    else if (mapped.body.statusCode === 503 || mapped.body.statusCode === 429) {
      if (!reply.hasHeader('Retry-After')) reply.header('Retry-After', '5');
    }
    void reply.status(mapped.body.statusCode).send(mapped.body);
  }
}
