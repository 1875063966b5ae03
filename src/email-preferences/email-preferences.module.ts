import { Module, type OnModuleInit } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { UnsubscribeLinks } from '../mail/unsubscribe';
import { UsersModule } from '../users/users.module';
import { EmailPreferencesController } from './email-preferences.controller';
import { type EmailPreferenceKind, isEmailPreferenceKind } from './email-preferences.constants';
import { EmailPreferencesService } from './email-preferences.service';

/** The sentence a person reads after the link in a mail turned that kind off. */
const STOPPED: Record<string, string> = {
  replies: 'You will no longer get email about replies. You can turn it back on in your settings.',
  mentions: 'You will no longer get email when someone mentions you. You can turn it back on in your settings.',
  moderation:
    'You will no longer get email about moderators’ decisions on your posts. They still appear in your notifications.',
  digest: 'You will no longer get digest email. You can turn it back on in your settings.',
};

/** After a bundle's link: the kinds it carried. */
function stoppedMany(kinds: EmailPreferenceKind[]): string {
  const names = kinds.map((k) => NAMES[k]);
  const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `You will no longer get email about ${list}. You can turn it back on in your settings.`;
}

const NAMES: Record<EmailPreferenceKind, string> = {
  replies: 'replies',
  mentions: 'mentions',
  moderation: 'moderators’ decisions',
  digest: 'your subscriptions',
};

/**
 * A member's choices of mail (`email_preferences`): the API under /api/me/email-preferences, the service other
 * features ask before they send, and the meaning of the `email-preference` unsubscribe scope (`<userId>:<kind>`:
 * that kind turns off).
 */
@Module({
  imports: [MailModule, UsersModule],
  controllers: [EmailPreferencesController],
  providers: [EmailPreferencesService],
  exports: [EmailPreferencesService],
})
export class EmailPreferencesModule implements OnModuleInit {
  constructor(
    private readonly links: UnsubscribeLinks,
    private readonly preferences: EmailPreferencesService,
  ) {}

  onModuleInit(): void {
    this.links.register('email-preference', async (id, manager) => {
      const [userId, named, more] = id.split(':');
      const kinds = (named ?? '').split('+');
      if (!/^\d{1,18}$/.test(userId ?? '') || !kinds.every(isEmailPreferenceKind) || more !== undefined) {
        return 'This link no longer stops anything. You can choose your email in your settings.';
      }
      for (const kind of kinds) {
        if (!(await this.preferences.turnOff(manager, userId, kind))) return 'There is no mail left to stop here.';
      }
      return kinds.length === 1 ? STOPPED[kinds[0]] : stoppedMany(kinds);
    });
  }
}
