import { Module } from '@nestjs/common';
import { MemberMailContacts } from './mail-contacts';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UsersService, MemberMailContacts],
  exports: [UsersService, MemberMailContacts],
})
export class UsersModule {}
