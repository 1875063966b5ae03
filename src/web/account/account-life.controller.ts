import { readerZone } from '../core/dates';
import { Get, HttpCode, Ip, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AccountDeletionService } from '../../account/account-deletion.service';
import { AccountExportService } from '../../account/account-export.service';
import { CancelDeletionDto, DeleteAccountDto } from '../../account/dto/account.dto';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { TOKEN_PATTERN } from '../../common/tokens/one-time-token';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { WebSession } from '../core/web-session';
import { labelled, type Refusal } from './refusal';

const LABELS: Record<string, string> = { password: 'Password', content: 'What happens to your words' };

/** The deletion form: the choice is shown again after a refusal, the password never. */
const DELETE_FORM = {
  dto: DeleteAccountDto,
  typed: (body: unknown) => ({ content: field(body, 'content') }),
  values: (typed: { content: string }, body: unknown) => ({ ...typed, password: field(body, 'password') }),
};

const CANCEL_FORM = { dto: CancelDeletionDto, typed: (body: unknown) => ({ token: field(body, 'token') }) };

/**
 * "Your data and your account" (linked from the settings): download everything, or delete the account after a
 * plain explanation of the grace period. Silenced members may do both (`read` intent): neither publishes anything.
 */
@WebController('settings/account')
@MembersOnly()
export class AccountLifeController {
  constructor(
    private readonly exports: AccountExportService,
    private readonly deletions: AccountDeletionService,
    private readonly session: WebSession,
  ) {}

  @Get()
  @Page('account/account-life', { noindex: true })
  page(@CurrentUser() me: Principal) {
    return this.show(me, { content: 'anonymise' });
  }

  @Intent('read')
  @Post('export')
  async requestExport(@CurrentUser() me: Principal) {
    await this.exports.request(me.id);
    return redirect('/settings/account', 'We are putting your data together. We will mail you when it is ready.');
  }

  /** The browser's download, with the session cookie: the same file as the API's. */
  @Get('export/file')
  async download(@CurrentUser() me: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    const file = await this.exports.file(me.id);
    void reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${file.filename}"`)
      .header('Cache-Control', 'private, no-store');
    return file.json;
  }

  /** Every session ends, this browser's too: she is sent home, signed out, with the date and the way back. */
  @Cost(COSTS.signIn)
  @Intent('read')
  @Post('delete')
  @HttpCode(200)
  @Page('account/account-life', { noindex: true })
  async requestDeletion(
    @Form(DELETE_FORM) form: Submitted<{ content: string }, DeleteAccountDto>,
    @CurrentUser() me: Principal,
    @Ip() ip: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return submit(
      form,
      async (input) => {
        const pending = await this.deletions.request(me.id, input, ip);
        this.session.end(reply.request, reply);
        return redirect(
          '/',
          `Your account will be deleted on ${readerZone(me).fullTime(pending.dueAt)}. We sent you a mail with a link to keep it.`,
        );
      },
      (refused) => this.show(me, form.typed, { problem: labelled(refused, LABELS) }),
      ['forbidden'],
    );
  }

  @Intent('read')
  @Post('deletion/cancel')
  async cancel(@CurrentUser() me: Principal) {
    await this.deletions.cancel(me.id);
    return redirect('/settings/account', 'Your account stays. Nothing will be deleted.');
  }

  private async show(me: Principal, form: { content: string }, extra: { problem?: Refusal } = {}) {
    const [exported, deletion] = await Promise.all([this.exports.status(me.id), this.deletions.status(me.id)]);
    return view(
      'Your data and your account',
      {
        form,
        exported: { ...exported, expires: exported.expiresAt ? readerZone(me).fullTime(exported.expiresAt) : null },
        deletion: { ...deletion, due: deletion.dueAt ? readerZone(me).fullTime(deletion.dueAt) : null },
        ...extra,
      },
      { status: extra.problem?.status ?? 200 },
    );
  }
}

/** The cancel link from the mail: GET shows one button (mail scanners follow links; only a press cancels). */
@WebController('account/deletion/cancel')
export class DeletionCancelController {
  constructor(private readonly deletions: AccountDeletionService) {}

  @Get()
  @Page('account/deletion-cancel', { noindex: true })
  async page(@Query('token') token?: string) {
    const live = typeof token === 'string' && TOKEN_PATTERN.test(token) && (await this.deletions.tokenIsLive(token));
    return view('Keep your account', { token: live ? token : null, done: false }, { status: live ? 200 : 404 });
  }

  @Intent('read')
  @Post()
  @HttpCode(200)
  @Page('account/deletion-cancel', { noindex: true })
  async cancel(@Form(CANCEL_FORM) form: Submitted<{ token: string }, CancelDeletionDto>) {
    return submit(
      form,
      async (input) => {
        await this.deletions.cancelByToken(input.token ?? '');
        return view('Your account stays', { token: null, done: true });
      },
      () => view('Keep your account', { token: null, done: false }, { status: 404 }),
      ['not_found'],
    );
  }
}
