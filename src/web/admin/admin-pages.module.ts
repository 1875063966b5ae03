import { Module } from '@nestjs/common';
import { MailModule } from '../../mail/mail.module';
import { ModerationModule } from '../../moderation/moderation.module';
import { MailPagesController } from './mail-pages.controller';
import { ReachOutPagesController } from './reach-out-pages.controller';

/** The admins' pages (/admin): the mail this server sent or keeps, and the starter text of care conversations. */
@Module({
  imports: [MailModule, ModerationModule],
  controllers: [MailPagesController, ReachOutPagesController],
})
export class AdminPagesModule {}
