import { Global, Module } from '@nestjs/common';
import { Jobs } from './jobs';

/** Durable background jobs in PostgreSQL (pg-boss), for every feature that must finish work after a request. */
@Global()
@Module({ providers: [Jobs], exports: [Jobs] })
export class JobsModule {}
