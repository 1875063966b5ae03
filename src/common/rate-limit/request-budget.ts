import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import type { Principal } from '../auth/principal';
import { tooManyRequests } from '../errors/domain-error';
import { COST_KEY, DEFAULT_COST } from './cost.decorator';
import { keyedIpHash } from './ip-hash';
import { RateLimitStore } from './rate-limit.store';

const WINDOW_SECONDS = 60;

/**
 * One request budget per client and minute, across every route of the API and the web pages, counted in the shared
 * store (Redis when configured, so it holds across processes). The client is the signed-in member when there is
 * one, else the keyed hash of the address. Each route spends its `@Cost()` (1 by default; heavy routes more).
 *
 * An interceptor rather than a guard because it must run after the guards: the API's AuthGuard and the pages'
 * WebGuard are what make the member known (the pages' guard is a controller guard, which runs after global ones).
 */
@Injectable()
export class RequestBudget implements NestInterceptor {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
    private readonly store: RateLimitStore,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http' || !this.config.rateLimits) return next.handle();
    const cost =
      this.reflector.getAllAndOverride<number>(COST_KEY, [context.getHandler(), context.getClass()]) ?? DEFAULT_COST;
    if (cost <= 0) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const { count, resetSeconds } = await this.store.hit(`budget:${this.clientKey(request)}`, WINDOW_SECONDS, cost);
    if (count > this.config.globalRateLimitPerMinute) throw tooManyRequests(resetSeconds);
    return next.handle();
  }

  private clientKey(request: FastifyRequest & { principal?: Principal }): string {
    const member = request.principal?.id;
    return member ? `member:${member}` : `ip:${keyedIpHash(this.config.comments.ipHashSecret, request.ip)}`;
  }
}
