import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EmailPreferencesModule } from '../email-preferences/email-preferences.module';
import { MailModule } from '../mail/mail.module';
import { UsersModule } from '../users/users.module';
import { NotificationBundles } from './notification-bundles';
import { NotificationMail } from './notification-mail';
import { NotificationsController } from './notifications.controller';
import { NotificationsListener } from './notifications.listener';
import { NotificationsService } from './notifications.service';

@Module({
  imports: [UsersModule, AuthModule, MailModule, EmailPreferencesModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationsListener, NotificationMail, NotificationBundles],
  exports: [NotificationsService, NotificationBundles],
})
export class NotificationsModule {}
