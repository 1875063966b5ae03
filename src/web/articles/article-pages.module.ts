import { Module } from '@nestjs/common';

/** The articles pages (being built). */
@Module({})
export class ArticlePagesModule {}
