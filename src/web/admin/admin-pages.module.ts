import { Module } from '@nestjs/common';
import { MailModule } from '../../mail/mail.module';
import { MailPagesController } from './mail-pages.controller';

/** The admins' pages (/admin): the mail this server sent or keeps. */
@Module({
  imports: [MailModule],
  controllers: [MailPagesController],
})
export class AdminPagesModule {}
