import { Global, Module } from '@nestjs/common';
import { ContentRegistry } from './content-registry';
import { Publications } from './publications';
import { PublishingGate } from './publishing-gate';

/**
 * Below every content feature and moderation: content calls the one gate and registers how it can be moderated;
 * moderation registers its rules into the gate and acts through the registry. Neither imports the other.
 */
@Global()
@Module({
  providers: [PublishingGate, ContentRegistry, Publications],
  exports: [PublishingGate, ContentRegistry, Publications],
})
export class PublishingModule {}
