import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import type { SettingsPatchDto, ShareInputDto } from '../../journal/dto/journal.dto';
import { OWN_SYMPTOMS_MAX } from '../../journal/symptoms';
import { SHARE_DAYS_MAX } from '../../journal/journal.constants';
import { JournalService } from '../../journal/journal.service';
import type { JournalShare } from '../../journal/journal.types';
import { addDays, longDay, period } from '../../journal/render/journal-dates';
import { Form, submit, type Submitted } from '../core/form.pipe';
import type { FormRefusal } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { readerZone } from '../core/dates';
import { SETTINGS_FORM, type SettingsForm, settingsForm, SHARE_FORM, type ShareForm } from './journal-forms';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * The journal's settings (her care team's numbers, her own symptoms, her medicines list, a reminder) and her share
 * links (make one for a period and 1-30 days, see who opened it, stop it). Members only, hers alone.
 */
@WebController('journal')
@MembersOnly()
export class JournalSettingsPagesController {
  constructor(private readonly journal: JournalService) {}

  @Get('settings')
  @Page('journal/settings', { noindex: true })
  async settings(@CurrentUser() me: Principal) {
    return this.settingsPage(settingsForm(await this.journal.settings(me.id)));
  }

  @Post('settings')
  @HttpCode(200)
  @Page('journal/settings', { noindex: true })
  async saveSettings(
    @CurrentUser() me: Principal,
    @Form(SETTINGS_FORM) form: Submitted<SettingsForm, SettingsPatchDto>,
  ) {
    return submit(
      form,
      async (input) => {
        await this.journal.updateSettings(me.id, input);
        return redirect('/journal/settings', 'Your journal settings are saved.');
      },
      (refused) => this.settingsPage(form.typed, refused),
    );
  }

  @Get('shares')
  @Page('journal/shares', { noindex: true })
  async shares(@CurrentUser() me: Principal) {
    const today = await this.journal.today(me.id);
    return this.sharesPage(me, { from: addDays(today, -6), to: today, expiresInDays: '7' });
  }

  @Post('shares')
  @HttpCode(200)
  @Page('journal/shares', { noindex: true })
  async share(@CurrentUser() me: Principal, @Form(SHARE_FORM) form: Submitted<ShareForm, ShareInputDto>) {
    return submit(
      form,
      async (input) => {
        const made = await this.journal.createShare(me.id, input);
        return this.sharesPage(me, form.typed, undefined, { url: made.url, period: period(input.from, input.to) });
      },
      (refused) => this.sharesPage(me, form.typed, refused),
    );
  }

  @Post('shares/:id/revoke')
  async revoke(@CurrentUser() me: Principal, @Param('id') id: string) {
    await this.journal.revokeShare(me.id, id);
    return redirect('/journal/shares', 'That link is stopped: nobody can open it now.');
  }

  private settingsPage(form: SettingsForm, problem?: FormRefusal) {
    return view(
      'Journal settings',
      {
        form,
        problem,
        ownMax: OWN_SYMPTOMS_MAX,
        hours: Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00` })),
        weekdays: WEEKDAYS.map((label, i) => ({ value: String(i + 1), label })),
      },
      { status: problem?.status ?? 200 },
    );
  }

  private async sharesPage(
    me: Principal,
    form: ShareForm,
    problem?: FormRefusal,
    made?: { url: string; period: string },
  ) {
    const zone = readerZone(me);
    const shares = await this.journal.shares(me.id);
    return view(
      'Share your journal',
      {
        form,
        problem,
        made,
        maxDays: SHARE_DAYS_MAX,
        shares: shares.map((s: JournalShare) => ({
          id: s.id,
          period: period(s.from, s.to),
          status: s.status,
          expires: zone.fullTime(s.expiresAt),
          expiresAt: s.expiresAt,
          viewCount: s.viewCount,
          views: s.views.map((v) => ({ at: v.at, when: zone.fullTime(v.at), browser: v.browser, device: v.device })),
        })),
        longDay,
      },
      { status: problem?.status ?? 200 },
    );
  }
}
