import { Module } from '@nestjs/common';

/** The moderation pages (being built). */
@Module({})
export class ModerationPagesModule {}
