import { Get, HttpCode, Ip, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthService } from '../../auth/auth.service';
import { ChangePasswordDto } from '../../auth/dto/auth.dto';
import { PasswordChangeService } from '../../auth/password-change.service';
import { PASSWORD_MIN } from '../../auth/password-policy';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { UpdateEmailPreferencesDto } from '../../email-preferences/dto/email-preferences.dto';
import {
  EMAIL_PREFERENCE_KINDS,
  type EmailPreferenceKind,
  type EmailPreferences,
} from '../../email-preferences/email-preferences.constants';
import { EmailPreferencesService } from '../../email-preferences/email-preferences.service';
import { UpdateMeDto } from '../../users/dto/user.dto';
import { UsersService } from '../../users/users.service';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { WebSession } from '../core/web-session';
import { bioHtml } from './markdown-view';
import { TIME_ZONES } from '../../common/time/time-zone';
import { zoneClock } from '../core/dates';
import { labelled, type Refusal } from './refusal';

const LABELS: Record<string, string> = { displayName: 'Display name', bio: 'Your bio' };
const ZONE_LABELS: Record<string, string> = { timeZone: 'Time zone' };
const PASSWORD_LABELS: Record<string, string> = { currentPassword: 'Current password', newPassword: 'New password' };

interface ProfileForm {
  displayName: string;
  bio: string;
}

const PROFILE_FORM = {
  dto: UpdateMeDto,
  typed: (body: unknown): ProfileForm => ({ displayName: field(body, 'displayName'), bio: field(body, 'bio') }),
};

/** The time zone form: one select of IANA zones, checked by the API's own rule (Intl knows the zone). */
const ZONE_FORM = {
  dto: UpdateMeDto,
  typed: (body: unknown) => ({ timeZone: field(body, 'timeZone') }),
};

/** The password form: nothing typed is ever shown again. */
const PASSWORD_FORM = {
  dto: ChangePasswordDto,
  typed: () => ({}),
  values: (_typed: object, body: unknown) => ({
    currentPassword: field(body, 'currentPassword'),
    newPassword: field(body, 'newPassword'),
  }),
};

type EmailForm = Record<EmailPreferenceKind, string>;

const EMAIL_LABELS: Record<EmailPreferenceKind, string> = {
  replies: 'Replies',
  mentions: 'Mentions',
  moderation: 'Moderation',
  digest: 'Digest',
};

const EMAIL_FORM = {
  dto: UpdateEmailPreferencesDto,
  typed: (body: unknown) => Object.fromEntries(EMAIL_PREFERENCE_KINDS.map((k) => [k, field(body, k)])) as EmailForm,
};

/**
 * A member's own settings: how others see them (display name, bio, with a preview of the bio), how often they get
 * mail, whom they block, their password, and signing out on every device. Each form posts, then comes back here.
 */
@WebController('settings')
@MembersOnly()
export class SettingsController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly passwords: PasswordChangeService,
    private readonly session: WebSession,
    private readonly emailPreferences: EmailPreferencesService,
  ) {}

  @Get()
  @Page('account/settings', { noindex: true })
  async settings(@CurrentUser() me: Principal) {
    const mine = await this.users.getMe(me.id);
    return this.show(me, { displayName: mine.displayName, bio: mine.bio });
  }

  @Cost(COSTS.markdown)
  @Post('profile')
  @HttpCode(200)
  @Page('account/settings', { noindex: true })
  async saveProfile(@Form(PROFILE_FORM) form: Submitted<ProfileForm, UpdateMeDto>, @CurrentUser() me: Principal) {
    return submit(
      form,
      async (changes) => {
        if (form.intent === 'preview') return this.show(me, form.typed, { preview: bioHtml(changes.bio ?? '') });
        await this.users.updateMe(me.id, changes);
        return redirect('/settings#profile-saved', 'Your profile is saved.');
      },
      (refused) => this.show(me, form.typed, { problem: labelled(refused, LABELS) }),
    );
  }

  /** Her clock: every time on the pages is then written in this zone, named. */
  @Post('time-zone')
  @HttpCode(200)
  @Page('account/settings', { noindex: true })
  async saveTimeZone(
    @Form(ZONE_FORM) form: Submitted<{ timeZone: string }, UpdateMeDto>,
    @CurrentUser() me: Principal,
  ) {
    return submit(
      form,
      async (changes) => {
        const saved = await this.users.updateMe(me.id, { timeZone: changes.timeZone });
        return redirect('/settings#zone-heading', `Times are now shown in ${zoneClock(saved.timeZone).label}.`);
      },
      async (refused) => {
        const mine = await this.users.getMe(me.id);
        const zoneProblem = labelled(refused, ZONE_LABELS);
        return this.show(me, { displayName: mine.displayName, bio: mine.bio }, { zoneForm: form.typed, zoneProblem });
      },
    );
  }

  /** The API's own change: the other sessions end, this browser's stays. A wrong current password is a 403 page. */
  @Cost(COSTS.signIn)
  @Post('password')
  @HttpCode(200)
  @Page('account/settings', { noindex: true })
  async changePassword(
    @Form(PASSWORD_FORM) form: Submitted<object, ChangePasswordDto>,
    @CurrentUser() me: Principal,
    @Ip() ip: string,
  ) {
    return submit(
      form,
      async (input) => {
        await this.passwords.change(me, input, ip);
        return redirect(
          '/settings#password-saved',
          'Your password is changed. You are signed out on your other devices.',
        );
      },
      async (refused) => {
        const mine = await this.users.getMe(me.id);
        const profile = { displayName: mine.displayName, bio: mine.bio };
        return this.show(me, profile, { passwordProblem: labelled(refused, PASSWORD_LABELS) });
      },
      ['forbidden'],
    );
  }

  @Post('email')
  @HttpCode(200)
  @Page('account/settings', { noindex: true })
  async saveEmail(
    @Form(EMAIL_FORM) form: Submitted<EmailForm, UpdateEmailPreferencesDto>,
    @CurrentUser() me: Principal,
  ) {
    return submit(
      form,
      async (changes) => {
        await this.emailPreferences.update(me.id, changes);
        return redirect('/settings#email-saved', 'Your email choices are saved.');
      },
      async (refused) => {
        const mine = await this.users.getMe(me.id);
        const emailProblem = labelled(refused, EMAIL_LABELS);
        return this.show(me, { displayName: mine.displayName, bio: mine.bio }, { emailForm: form.typed, emailProblem });
      },
    );
  }

  /** Ending the session clears its cookie, so the reply is passed through for it. */
  @Intent('sign-out')
  @Post('sign-out-everywhere')
  async signOutEverywhere(@Res({ passthrough: true }) reply: FastifyReply, @CurrentUser() me: Principal) {
    await this.auth.logoutEverywhere(me);
    this.session.end(reply.request, reply);
    return redirect('/', 'You are signed out on every device. Take care.');
  }

  private async show(
    me: Principal,
    form: ProfileForm,
    extra: {
      preview?: string;
      problem?: Refusal;
      passwordProblem?: Refusal;
      emailForm?: EmailForm;
      emailProblem?: Refusal;
      zoneForm?: { timeZone: string };
      zoneProblem?: Refusal;
    } = {},
  ) {
    const [mine, blocked, chosen] = await Promise.all([
      this.users.getMe(me.id),
      this.users.listBlocked(me.id),
      this.emailPreferences.get(me.id),
    ]);
    const emailForm: EmailForm | EmailPreferences = extra.emailForm ?? chosen;
    const problem = extra.problem ?? extra.passwordProblem ?? extra.emailProblem ?? extra.zoneProblem;
    return view(
      'Your settings',
      {
        form,
        email: mine.email,
        emailConfirmed: mine.emailConfirmed,
        username: mine.username,
        blocked,
        passwordMin: PASSWORD_MIN,
        zones: TIME_ZONES,
        zoneForm: { timeZone: mine.timeZone ?? '' },
        zoneLabel: zoneClock(mine.timeZone).label,
        ...extra,
        emailForm,
      },
      { status: problem?.status ?? 200, retryAfterSeconds: problem?.retryAfterSeconds },
    );
  }
}
