import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Matches } from 'class-validator';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { DomainError, InvalidInput } from '../../common/errors/domain-error';
import { CreateSanctionDto, SanctionsService, type SanctionView } from '../../moderation/sanctions/sanctions.service';
import { UsernameParams } from '../../users/dto/user.dto';
import { field, type FormRefusal, validated, validatedAll } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { chrome, pageHref, refusal, whenFor } from './moderation-web';

class SanctionParams extends UsernameParams {
  @Matches(/^\d{1,18}$/, { message: 'id must be a numeric id' })
  id!: string;
}

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
/** How long a silence or suspension lasts; "" is until lifted (a ban always is). */
export const DURATIONS = [
  { value: '', label: 'Until lifted (silence or ban)', ms: 0 },
  { value: '1h', label: '1 hour', ms: HOUR },
  { value: '1d', label: '1 day', ms: DAY },
  { value: '3d', label: '3 days', ms: 3 * DAY },
  { value: '7d', label: '1 week', ms: 7 * DAY },
  { value: '30d', label: '30 days', ms: 30 * DAY },
  { value: '90d', label: '90 days', ms: 90 * DAY },
  { value: '365d', label: '1 year', ms: 365 * DAY },
] as const;

export const KINDS = [
  { value: 'silence', label: 'Silence: may read, may not write' },
  { value: 'suspend', label: 'Suspend: may not use Haven until the end' },
  { value: 'ban', label: 'Ban: may not sign in, until lifted' },
] as const;

interface SanctionForm {
  username: string;
  kind: string;
  duration: string;
  reason: string;
}

/** Silence, suspend, ban and lift, through the sanctions service (its rank rules and its audit entries). */
@WebController('mod/sanctions')
@Roles('moderator')
export class SanctionPagesController {
  constructor(private readonly sanctions: SanctionsService) {}

  @Get()
  @Page('moderation/sanctions', { noindex: true })
  show(@CurrentUser() me: Principal, @Query('user') user?: string, @Query('cursor') cursor?: string) {
    const username = typeof user === 'string' ? user.trim().toLowerCase().replace(/^@/, '') : '';
    return this.render(me, { username, kind: 'silence', duration: '', reason: '' }, cursor);
  }

  @Post()
  @HttpCode(200)
  @Page('moderation/sanctions', { noindex: true })
  async impose(@Body() body: Record<string, unknown>, @CurrentUser() me: Principal) {
    const form: SanctionForm = {
      username: field(body, 'username').trim().replace(/^@/, ''),
      kind: field(body, 'kind'),
      duration: field(body, 'duration'),
      reason: field(body, 'reason'),
    };
    try {
      const duration = DURATIONS.find((d) => d.value === form.duration);
      // Every problem of the form at once: the member's name, the duration and the API's own fields.
      const also = [
        ...(await problemsOf(validated(UsernameParams, { username: form.username }))),
        ...(duration ? [] : ['duration Choose how long the sanction lasts, from the list']),
      ];
      const input = await validatedAll(
        CreateSanctionDto,
        {
          kind: form.kind,
          reason: form.reason,
          until: duration?.ms ? new Date(Date.now() + duration.ms).toISOString() : undefined,
        },
        also,
        ['username', 'kind', 'duration', 'reason'],
      );
      const done = await this.sanctions.impose(me, form.username.toLowerCase(), input).catch(plainWords);
      return redirect('/mod/sanctions#sanction-done', `${describe(done, whenFor(me))}.`);
    } catch (err) {
      const problem = refusal(err, SANCTION_LABELS);
      return this.render(me, form, undefined, { status: problem.status, formProblem: problem });
    }
  }

  @Post(':username/:id/lift')
  @HttpCode(200)
  @Page('moderation/sanctions', { noindex: true })
  async lift(@Param() params: Record<string, string>, @CurrentUser() me: Principal) {
    try {
      const { username, id } = await validated(SanctionParams, { username: params.username, id: params.id });
      const lifted = await this.sanctions.lift(me, username, id);
      return redirect('/mod/sanctions', `Lifted the ${lifted.kind} of @${lifted.username}.`);
    } catch (err) {
      const { status, message } = refusal(err);
      const form = { username: '', kind: 'silence', duration: '', reason: '' };
      return this.render(me, form, undefined, { status, listError: message });
    }
  }

  private async render(
    me: Principal,
    form: SanctionForm,
    cursor: string | undefined,
    outcome: { status?: number; formProblem?: FormRefusal; listError?: string } = {},
  ) {
    const [active, history] = await Promise.all([
      this.sanctions.listActive({ cursor: typeof cursor === 'string' && cursor ? cursor : undefined }),
      this.historyOf(form.username),
    ]);
    return view(
      'Sanctions',
      {
        ...chrome('sanctions', me),
        form,
        formError: outcome.formProblem?.message,
        formProblem: outcome.formProblem,
        listError: outcome.listError,
        kinds: KINDS,
        durations: DURATIONS,
        active: active.items,
        history,
        firstHref: cursor ? '/mod/sanctions' : null,
        nextHref: active.nextCursor ? pageHref('/mod/sanctions', { cursor: active.nextCursor }) : null,
      },
      { status: outcome.status ?? 200 },
    );
  }

  /** A named member's sanctions, past and present, when the page is opened for them (?user=). */
  private async historyOf(username: string): Promise<{ username: string; items: SanctionView[] } | null> {
    if (!/^[a-z0-9_]{3,32}$/.test(username)) return null;
    try {
      return { username, items: await this.sanctions.listFor(username) };
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') return null;
      throw err;
    }
  }
}

/** The service names its API field `until`; the form calls it a duration. */
export function plainWords(err: unknown): never {
  if (err instanceof DomainError && err.code === 'bad_input' && err.message.startsWith('until ')) {
    const message: Record<string, string> = {
      'until is required for a suspension': 'A suspension needs a duration: choose how long it lasts',
      'until does not apply to a ban: lift it instead': 'A ban lasts until it is lifted: choose "Until lifted"',
    };
    throw new DomainError('bad_input', message[err.message] ?? err.message.replace(/^until/, 'The duration'));
  }
  throw err;
}

/** "Silenced @rosa until 3 Dec 2026, 18:00 UTC": what a sanction does, for the flash after it. */
export function describe(s: SanctionView, when: (at: string) => string): string {
  const what = s.kind === 'silence' ? 'Silenced' : s.kind === 'suspend' ? 'Suspended' : 'Banned';
  return `${what} @${s.username}${s.until ? ` until ${when(s.until)}` : ''}`;
}

/** The sanction form's labels, for its messages ("Reason must be…"). */
const SANCTION_LABELS: Record<string, string> = {
  username: 'Username',
  kind: 'Kind',
  duration: '',
  reason: 'Reason',
};

/** A validation's problems as a list (none when it passes); anything else is rethrown. */
async function problemsOf(check: Promise<unknown>): Promise<string[]> {
  try {
    await check;
    return [];
  } catch (err) {
    if (err instanceof InvalidInput) return err.problems;
    throw err;
  }
}
