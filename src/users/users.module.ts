import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { MemberRecord } from './member-record';

@Module({
  controllers: [UsersController],
  providers: [UsersService, MemberRecord],
  exports: [UsersService, MemberRecord],
})
export class UsersModule {}
