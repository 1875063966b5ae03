import { Global, Module } from '@nestjs/common';
import { Clock } from './clock/clock';
import { MemberDataRegistry } from './member-data/member-data';
import { ClockWindows } from './clock/clock-windows';
import { RateLimitStore } from './rate-limit/rate-limit.store';
import { RequestBudget } from './rate-limit/request-budget';
import { TypedEvents } from './typed-events';
import { Realtime } from './realtime/realtime';

@Global()
@Module({
  providers: [RateLimitStore, RequestBudget, TypedEvents, Clock, ClockWindows, MemberDataRegistry, Realtime],
  exports: [RateLimitStore, RequestBudget, TypedEvents, Clock, ClockWindows, MemberDataRegistry, Realtime],
})
export class CommonModule {}
