import { Body, Get, Param, Post } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { UsernameParams } from '../../users/dto/user.dto';
import { UsersService } from '../../users/users.service';
import { field, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { safeLocalPath } from '../core/pages';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { bioHtml } from './markdown-view';
import { StoriesService } from '../../stories/stories.service';
import { storyLines } from '../stories/story-view';
import { readerZone } from '../core/dates';

/** Public profiles (never the email) and blocking: a member stops seeing another's posts, comments and messages. */
@WebController('u')
export class ProfileController {
  constructor(
    private readonly users: UsersService,
    private readonly stories: StoriesService,
  ) {}

  @Get(':username')
  @Page('account/profile')
  async profile(@Param('username') username: string, @CurrentUser() me?: Principal) {
    const name = await this.username(username);
    const [profile, blocked, story] = await Promise.all([
      this.users.getPublicProfile(name),
      me ? this.users.listBlocked(me.id) : Promise.resolve([]),
      this.stories.onProfile(me, name),
    ]);
    return view(
      `${profile.displayName} (@${profile.username})`,
      {
        profile,
        bioHtml: bioHtml(profile.bio),
        joined: readerZone(me).longDate(profile.joinedAt),
        own: me?.username === profile.username,
        isBlocked: blocked.some((b) => b.username === profile.username),
        story: story && { own: story.own, lines: storyLines(story) },
      },
      { description: `${profile.displayName} on Haven, a peer support community.` },
    );
  }

  @Post(':username/block')
  @MembersOnly()
  async block(
    @Param('username') username: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const name = await this.username(username);
    await this.users.block(me.id, name);
    return redirect(
      safeLocalPath(field(body, 'next'), `/u/${name}`),
      `You blocked @${name}. You will no longer see their posts, comments or chat messages.`,
    );
  }

  @Post(':username/unblock')
  @MembersOnly()
  async unblock(
    @Param('username') username: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const name = await this.username(username);
    await this.users.unblock(me.id, name);
    return redirect(
      safeLocalPath(field(body, 'next'), `/u/${name}`),
      `You unblocked @${name}. You will see what they write again.`,
    );
  }

  /** A name that cannot be a username is simply not found (usernames compare lowercased). */
  private async username(raw: string): Promise<string> {
    try {
      return (await validated(UsernameParams, { username: raw })).username;
    } catch {
      throw notFound('User');
    }
  }
}
