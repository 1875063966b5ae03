import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import type { Principal } from '../auth/principal';
import { tooManyRequests } from '../errors/domain-error';
import { COST_KEY, DEFAULT_COST } from './cost.decorator';
import { keyedIpHash } from './ip-hash';
import { RateLimitStore } from './rate-limit.store';

const WINDOW_SECONDS = 60;

/** Marks the web pages' controllers: their own guard charges the budget once it knows the member from the cookie. */
export const CHARGED_BY_PAGE_GUARD = 'haven:charged-by-page-guard';
export const ChargedByPageGuard = () => SetMetadata(CHARGED_BY_PAGE_GUARD, true);

/**
 * One request budget per client and minute, across every route of the API and the web pages, counted in the shared
 * store (Redis when configured, so it holds across processes). The client is the signed-in member when there is
 * one, else the keyed hash of the address. Each route spends its `@Cost()` (1 by default; heavy routes more).
 *
 * Charged at the end of the guards, once the member is known: for the API by `RequestBudgetGuard` (a global guard
 * after AuthGuard), for the pages by their WebGuard. A guard, not an interceptor: an interceptor would wrap every
 * request in Nest's observable machinery, which cost ~0.05 ms of CPU a request on the hot reads even with limits off.
 */
@Injectable()
export class RequestBudget {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
    private readonly store: RateLimitStore,
  ) {}

  /** Spends the route's cost from the client's budget; 429 with Retry-After once the minute's budget is spent. */
  async charge(context: ExecutionContext): Promise<void> {
    if (!this.config.rateLimits) return;
    const cost =
      this.reflector.getAllAndOverride<number>(COST_KEY, [context.getHandler(), context.getClass()]) ?? DEFAULT_COST;
    if (cost <= 0) return;
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const { count, resetSeconds } = await this.store.hit(`budget:${this.clientKey(request)}`, WINDOW_SECONDS, cost);
    if (count > this.config.globalRateLimitPerMinute) throw tooManyRequests(resetSeconds);
  }

  private clientKey(request: FastifyRequest & { principal?: Principal }): string {
    const member = request.principal?.id;
    return member ? `member:${member}` : `ip:${keyedIpHash(this.config.comments.ipHashSecret, request.ip)}`;
  }
}

/** The API's side: after AuthGuard (registered after it), every API route spends its cost. Pages charge their own. */
@Injectable()
export class RequestBudgetGuard implements CanActivate {
  constructor(
    private readonly budget: RequestBudget,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(CHARGED_BY_PAGE_GUARD, targets)) return true;
    await this.budget.charge(context);
    return true;
  }
}
