import { Module } from '@nestjs/common';
import { MailModule } from '../../mail/mail.module';
import { SubscriptionsModule } from '../../subscriptions/subscriptions.module';
import { SubscriptionPagesController } from './subscription-pages.controller';

/** "Get Email Updates": the box's form, confirmation and unsubscribe pages, her list of email updates. */
@Module({
  imports: [SubscriptionsModule, MailModule],
  controllers: [SubscriptionPagesController],
})
export class SubscriptionPagesModule {}
