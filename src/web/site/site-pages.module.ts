import { Module } from '@nestjs/common';
import { SitePagesController } from './site-pages.controller';

@Module({ controllers: [SitePagesController] })
export class SitePagesModule {}
