import { Module } from '@nestjs/common';
import { MailRecipients } from './mail-recipients';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { MemberRecord } from './member-record';

@Module({
  controllers: [UsersController],
  providers: [UsersService, MailRecipients, MemberRecord],
  exports: [UsersService, MailRecipients, MemberRecord],
})
export class UsersModule {}
