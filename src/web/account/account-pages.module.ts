import { Module } from '@nestjs/common';

/** The account pages (being built). */
@Module({})
export class AccountPagesModule {}
