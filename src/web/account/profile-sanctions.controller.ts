import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { badInput, notFound } from '../../common/errors/domain-error';
import { CreateSanctionDto, SanctionsService } from '../../moderation/sanctions/sanctions.service';
import { UsernameParams } from '../../users/dto/user.dto';
import { field, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { refusal, whenFor } from '../moderation/moderation-web';
import { describe, DURATIONS, plainWords } from '../moderation/sanctions.controller';
import { ProfilePage, type SanctionForm } from './profile-page';

/**
 * A moderator silences, suspends or bans a member from her profile, through the sanctions service (its rank rules:
 * nobody sanctions an admin, an equal or themselves; its audit entries). Members never see the form, and are
 * refused if they post it.
 */
@WebController('u')
@Roles('moderator')
export class ProfileSanctionsController {
  constructor(
    private readonly sanctions: SanctionsService,
    private readonly page: ProfilePage,
  ) {}

  @Post(':username/sanctions')
  @HttpCode(200)
  @Page('account/profile')
  async impose(@Param('username') raw: string, @Body() body: Record<string, unknown>, @CurrentUser() me: Principal) {
    const username = await validated(UsernameParams, { username: raw }).then(
      (p) => p.username,
      () => Promise.reject(notFound('User')),
    );
    const form: SanctionForm = {
      kind: field(body, 'kind'),
      duration: field(body, 'duration'),
      reason: field(body, 'reason'),
    };
    try {
      const duration = DURATIONS.find((d) => d.value === form.duration);
      if (!duration) throw badInput('duration', 'must be one from the list');
      const input = await validated(CreateSanctionDto, {
        kind: form.kind,
        reason: form.reason,
        until: duration.ms ? new Date(Date.now() + duration.ms).toISOString() : undefined,
      });
      const done = await this.sanctions.impose(me, username, input).catch(plainWords);
      return redirect(`/u/${username}#sanctions`, `${describe(done, whenFor(me))}.`);
    } catch (err) {
      const { status, message } = refusal(err);
      return this.page.view(username, me, { form, problem: message, status });
    }
  }
}
