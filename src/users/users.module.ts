import { Module } from '@nestjs/common';
import { MailRecipients } from './mail-recipients';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UsersService, MailRecipients],
  exports: [UsersService, MailRecipients],
})
export class UsersModule {}
