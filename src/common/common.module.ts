import { Global, Module } from '@nestjs/common';
import { RateLimitStore } from './rate-limit/rate-limit.store';
import { SharedThrottlerStorage } from './rate-limit/throttler-storage';
import { TypedEvents } from './typed-events';

@Global()
@Module({
  providers: [RateLimitStore, SharedThrottlerStorage, TypedEvents],
  exports: [RateLimitStore, SharedThrottlerStorage, TypedEvents],
})
export class CommonModule {}
