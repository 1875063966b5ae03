import { Global, Module } from '@nestjs/common';
import { Clock } from './clock/clock';
import { ClockWindows } from './clock/clock-windows';
import { RateLimitStore } from './rate-limit/rate-limit.store';
import { SharedThrottlerStorage } from './rate-limit/throttler-storage';
import { TypedEvents } from './typed-events';

@Global()
@Module({
  providers: [RateLimitStore, SharedThrottlerStorage, TypedEvents, Clock, ClockWindows],
  exports: [RateLimitStore, SharedThrottlerStorage, TypedEvents, Clock, ClockWindows],
})
export class CommonModule {}
