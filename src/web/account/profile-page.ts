import { Injectable } from '@nestjs/common';
import { hasRole, type Principal } from '../../common/auth/principal';
import { outranks, SanctionsService, type SanctionView } from '../../moderation/sanctions/sanctions.service';
import { UsersService } from '../../users/users.service';
import { view } from '../core/page-result';
import { DURATIONS, KINDS } from '../moderation/sanctions.controller';
import { whenFor } from '../moderation/moderation-web';
import { StoriesService } from '../../stories/stories.service';
import { ConversationsService } from '../../conversations/conversations.service';
import { readerZone } from '../core/dates';
import { storyLines } from '../stories/story-view';
import { bioHtml } from './markdown-view';

/** The sanction form on a profile, as typed. */
export interface SanctionForm {
  kind: string;
  duration: string;
  reason: string;
}

const EMPTY_SANCTION: SanctionForm = { kind: 'silence', duration: '', reason: '' };

/**
 * A public profile (template account/profile; never the email), with blocking for members and, for a moderator
 * on someone else's profile, the sanctions in force and a form to silence, suspend or ban (when the sanctions
 * service's rank rule lets them: nobody sanctions an admin, an equal or themselves).
 */
@Injectable()
export class ProfilePage {
  constructor(
    private readonly users: UsersService,
    private readonly sanctions: SanctionsService,
    private readonly stories: StoriesService,
    private readonly conversations: ConversationsService,
  ) {}

  async view(
    username: string,
    me: Principal | undefined,
    sanction: { form?: SanctionForm; problem?: string; status?: number } = {},
  ) {
    const [profile, blocked, story, takesMessages] = await Promise.all([
      this.users.getPublicProfile(username),
      me ? this.users.listBlocked(me.id) : Promise.resolve([]),
      this.stories.onProfile(me, username),
      me && me.username !== username ? this.takesMessages(username) : Promise.resolve(false),
    ]);
    const own = me?.username === profile.username;
    const moderating = !!me && !own && hasRole(me, 'moderator');
    const mayImpose = moderating && outranks(me, profile.role);
    return view(
      `${profile.displayName} (@${profile.username})`,
      {
        profile,
        bioHtml: bioHtml(profile.bio),
        joined: readerZone(me).longDate(profile.joinedAt),
        own,
        isBlocked: blocked.some((b) => b.username === profile.username),
        // "Send a message" unless she blocks them or they take no new conversations (the form explains the rest).
        mayMessage: takesMessages,
        story: story && { own: story.own, lines: storyLines(story) },
        sanctions: moderating
          ? {
              mayImpose,
              active: mayImpose ? inForce(await this.sanctions.listFor(profile.username)) : [],
              form: sanction.form ?? EMPTY_SANCTION,
              problem: sanction.problem,
              kinds: KINDS,
              durations: DURATIONS,
              when: whenFor(me),
            }
          : undefined,
      },
      { description: `${profile.displayName} on Haven, a peer support community.`, status: sanction.status ?? 200 },
    );
  }

  /** Whether the member takes new conversations from anyone at all (her setting is not "nobody"). */
  private async takesMessages(username: string): Promise<boolean> {
    const [id] = await this.users.idsByUsername([username.toLowerCase()]);
    return id !== undefined && (await this.conversations.settings(id)).accept !== 'nobody';
  }
}

function inForce(list: SanctionView[], now = Date.now()): SanctionView[] {
  return list.filter((s) => !s.liftedAt && (!s.until || Date.parse(s.until) > now));
}
