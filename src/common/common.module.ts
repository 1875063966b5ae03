import { Global, Module } from '@nestjs/common';
import { Clock } from './clock/clock';
import { ClockWindows } from './clock/clock-windows';
import { RateLimitStore } from './rate-limit/rate-limit.store';
import { TypedEvents } from './typed-events';

@Global()
@Module({
  providers: [RateLimitStore, TypedEvents, Clock, ClockWindows],
  exports: [RateLimitStore, TypedEvents, Clock, ClockWindows],
})
export class CommonModule {}
