import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { UsernameParams } from '../../users/dto/user.dto';
import { UsersService } from '../../users/users.service';
import { field, validated } from '../core/forms';
import { Pages, safeLocalPath } from '../core/pages';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { bioHtml, longDate } from './markdown-view';

/** Public profiles (never the email) and blocking: a member stops seeing another's posts, comments and messages. */
@WebController('u')
export class ProfileController {
  constructor(
    private readonly pages: Pages,
    private readonly users: UsersService,
  ) {}

  @Get(':username')
  async profile(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('username') username: string,
    @CurrentUser() me?: Principal,
  ) {
    const name = await this.username(username);
    const [profile, blocked] = await Promise.all([
      this.users.getPublicProfile(name),
      me ? this.users.listBlocked(me.id) : Promise.resolve([]),
    ]);
    const title = `${profile.displayName} (@${profile.username})`;
    return this.pages.render(
      req,
      reply,
      'account/profile',
      title,
      {
        profile,
        bioHtml: bioHtml(profile.bio),
        joined: longDate(profile.joinedAt),
        own: me?.username === profile.username,
        isBlocked: blocked.some((b) => b.username === profile.username),
      },
      { description: `${profile.displayName} on Haven, a peer support community.` },
    );
  }

  @Post(':username/block')
  @MembersOnly()
  async block(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('username') username: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const name = await this.username(username);
    await this.users.block(me.id, name);
    return this.pages.redirect(
      req,
      reply,
      safeLocalPath(field(body, 'next'), `/u/${name}`),
      `You blocked @${name}. You will no longer see their posts, comments or chat messages.`,
    );
  }

  @Post(':username/unblock')
  @MembersOnly()
  async unblock(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('username') username: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const name = await this.username(username);
    await this.users.unblock(me.id, name);
    return this.pages.redirect(
      req,
      reply,
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
