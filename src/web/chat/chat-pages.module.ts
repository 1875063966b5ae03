import { Module } from '@nestjs/common';

/** The chat pages (being built). */
@Module({})
export class ChatPagesModule {}
