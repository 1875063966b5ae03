import { Module } from '@nestjs/common';
import { MailRecipients } from './mail-recipients';
import { MemberAddresses } from './member-addresses';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { MemberRecord } from './member-record';

@Module({
  controllers: [UsersController],
  providers: [UsersService, MailRecipients, MemberRecord, MemberAddresses],
  exports: [UsersService, MailRecipients, MemberRecord, MemberAddresses],
})
export class UsersModule {}
