import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sanctionRefusal } from '../common/auth/sanction-policy';
import { forbidden, tooManyRequests } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { PublishingGate } from '../publishing/publishing-gate';
import { UsersService } from '../users/users.service';
import { DEFAULT_ACCEPT } from './conversation.constants';
import type { Member } from './conversation-member';
import { ConversationsStore } from './conversations.store';

export const NEW_MEMBER_REFUSAL =
  'You can start conversations once a moderator has approved your first post or comment: this keeps members safe ' +
  'from strangers while a newcomer is settling in. Until then you can answer any conversation another member ' +
  'starts with you.';

/** The same words for a block and for a setting, so the answer never tells which it was. */
const notTaking = (username: string) => `@${username} is not taking new conversations from you at the moment`;

/**
 * Who may start or go on with a conversation: one home for each rule. The sanction rule is the shared one
 * (sanctionRefusal); blocks are the users feature's (either way); consent is each member's `accept`; new members
 * (nothing approved yet) cannot start; and a member starts at most CONVERSATIONS_PER_DAY in 24 hours.
 */
@Injectable()
export class ConversationConsent {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ConversationsStore,
    private readonly users: UsersService,
    private readonly gate: PublishingGate,
  ) {}

  /** Any write: silence, suspension and ban refuse it. */
  assertMayWrite(member: Member): void {
    const refusal = sanctionRefusal(member.sanction, 'write');
    if (refusal) throw refusal;
  }

  /** Starting: not a new member, no block either way, and each other member's consent. */
  async assertMayStart(starter: Member, others: Array<{ id: string; username: string }>): Promise<void> {
    this.assertMayWrite(starter);
    if (await this.gate.isNewMember(starter)) throw forbidden(NEW_MEMBER_REFUSAL);
    const ids = others.map((o) => o.id);
    const [blocked, settings] = await Promise.all([
      this.users.blockedEitherWay(starter.id),
      this.store.acceptSettings(ids),
    ]);
    const askKnown = others.filter((o) => settings.get(o.id) === 'known').map((o) => o.id);
    const known = askKnown.length ? await this.store.knownTo(starter.id, askKnown) : new Set<string>();
    for (const other of others) {
      const accept = settings.get(other.id) ?? DEFAULT_ACCEPT;
      const refused = blocked.includes(other.id) || accept === 'nobody' || (accept === 'known' && !known.has(other.id));
      if (refused) throw forbidden(notTaking(other.username));
    }
  }

  /** The daily limit, inside the starting transaction (its lock makes concurrent starts take turns). */
  async assertDailyLimit(m: EntityManager, starter: Member): Promise<void> {
    const limit = this.config.conversationsPerDay;
    if ((await this.store.startedToday(m, starter.id)) < limit) return;
    throw tooManyRequests(
      3600,
      `You have started ${limit} new conversations today, the most for one day. You can start another tomorrow; ` +
        'your conversations so far stay open.',
    );
  }

  /** Sending in a conversation: a block between her and anyone still in it stops it at once, both ways. */
  async assertMaySend(sender: Member, presentOthers: string[]): Promise<void> {
    this.assertMayWrite(sender);
    if (presentOthers.length === 0) throw forbidden('Everyone else has left this conversation');
    const blocked = await this.users.blockedEitherWay(sender.id);
    if (presentOthers.some((id) => blocked.includes(id))) {
      throw forbidden('You can no longer send messages in this conversation: one of you has blocked the other');
    }
  }
}
