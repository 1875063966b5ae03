import { Global, Module } from '@nestjs/common';
import { RateLimitStore } from './rate-limit/rate-limit.store';
import { TypedEvents } from './typed-events';

@Global()
@Module({
  providers: [RateLimitStore, TypedEvents],
  exports: [RateLimitStore, TypedEvents],
})
export class CommonModule {}
