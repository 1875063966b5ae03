import { Global, Module } from '@nestjs/common';
import { PublishingGate } from './publishing-gate';

/** Below every content feature: they all call the one gate; moderation registers its rules into it. */
@Global()
@Module({ providers: [PublishingGate], exports: [PublishingGate] })
export class PublishingModule {}
