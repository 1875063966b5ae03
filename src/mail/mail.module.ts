import { Module, type OnModuleInit } from '@nestjs/common';
import { MailController } from './mail.controller';
import { MailMemberData } from './mail-member-data';
import { MailSender } from './mail-sender';
import { MailOutbox } from './outbox';
import { OutboxReader } from './outbox-reader';
import { UnsubscribeLinks } from './unsubscribe';

/**
 * Mail: the outbox every feature queues into (in its own transaction), the worker that sends it, the suppression
 * list, and one-click unsubscribe links, whose meaning each sending feature registers.
 */
@Module({
  controllers: [MailController],
  providers: [MailOutbox, MailSender, UnsubscribeLinks, OutboxReader, MailMemberData],
  exports: [MailOutbox, UnsubscribeLinks, OutboxReader],
})
export class MailModule implements OnModuleInit {
  constructor(
    private readonly links: UnsubscribeLinks,
    private readonly outbox: MailOutbox,
  ) {}

  onModuleInit(): void {
    // Notices (a sign-up tried with the address, an address changed) are stopped per address, by its hash.
    this.links.register('notice', async (hash, manager) => {
      await this.outbox.suppress(manager, hash, 'notice', 'unsubscribe');
      return 'You will no longer get notices about sign-ups or changes made with this address.';
    });
  }
}
