import { Module } from '@nestjs/common';

/** The forums pages (being built). */
@Module({})
export class ForumPagesModule {}
