import { Body, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../../auth/auth.service';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { UpdateMeDto } from '../../users/dto/user.dto';
import { UsersService } from '../../users/users.service';
import { field, validated } from '../core/forms';
import { Pages } from '../core/pages';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { WebSession } from '../core/web-session';
import { bioHtml } from './markdown-view';
import { refusal, type Refusal } from './refusal';

const LABELS: Record<string, string> = { displayName: 'Display name', bio: 'Your bio' };

interface ProfileForm {
  displayName: string;
  bio: string;
}

/**
 * A member's own settings: how others see them (display name, bio, with a preview of the bio), whom they block,
 * and signing out on every device. Each form posts, then comes back here.
 */
@WebController('settings')
@MembersOnly()
export class SettingsController {
  constructor(
    private readonly pages: Pages,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly session: WebSession,
  ) {}

  @Get()
  async settings(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() me: Principal) {
    const mine = await this.users.getMe(me.id);
    return this.show(req, reply, me, { displayName: mine.displayName, bio: mine.bio });
  }

  @Cost(COSTS.markdown)
  @Post('profile')
  @HttpCode(200)
  async saveProfile(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const typed: ProfileForm = { displayName: field(body, 'displayName'), bio: field(body, 'bio') };
    try {
      const changes = await validated(UpdateMeDto, { ...typed });
      if (field(body, 'intent') === 'preview') {
        return this.show(req, reply, me, typed, { preview: bioHtml(changes.bio ?? '') });
      }
      await this.users.updateMe(me.id, changes);
      return this.pages.redirect(req, reply, '/settings', 'Your profile is saved.');
    } catch (err) {
      return this.show(req, reply, me, typed, { problem: refusal(err, LABELS) });
    }
  }

  @Intent('sign-out')
  @Post('sign-out-everywhere')
  async signOutEverywhere(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() me: Principal) {
    await this.auth.logoutEverywhere(me);
    this.session.end(req, reply);
    return this.pages.redirect(req, reply, '/', 'You are signed out on every device. Take care.');
  }

  private async show(
    req: FastifyRequest,
    reply: FastifyReply,
    me: Principal,
    form: ProfileForm,
    extra: { preview?: string; problem?: Refusal } = {},
  ) {
    const [mine, blocked] = await Promise.all([this.users.getMe(me.id), this.users.listBlocked(me.id)]);
    return this.pages.render(
      req,
      reply,
      'account/settings',
      'Your settings',
      { form, email: mine.email, username: mine.username, blocked, ...extra },
      { status: extra.problem?.status ?? 200, noindex: true },
    );
  }
}
