import { Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LinkTokenDto } from '../../auth/dto/account-mail.dto';
import { EmailChange } from '../../auth/email-change';
import { EmailVerification } from '../../auth/email-verification';
import { Intent } from '../../common/auth/intent';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field } from '../core/forms';
import { Page } from '../core/page.decorator';
import { view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { WebSession } from '../core/web-session';
import { deadLink, type LinkPage } from './link-pages';

const PAGE = { noindex: true };

const TOKEN_FORM = { dto: LinkTokenDto, typed: (body: unknown) => ({ token: field(body, 'token') }) };
type TokenForm = Submitted<{ token: string }, LinkTokenDto>;

const shown = (page: LinkPage) => view(page.heading, page);

/**
 * The pages the links in account mail open: confirming an address, confirming a new one, undoing a change. Each
 * GET only shows a button (mail scanners follow links); the POST does it, with the API's own services.
 */
@WebController()
@Intent('sign-out') // acts by the link, not as whoever is signed in: a sanction never stands in its way
export class MailLinkPagesController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly emailChange: EmailChange,
    private readonly session: WebSession,
  ) {}

  @Get('confirm-email')
  @Page('account/mail-link', PAGE)
  confirmEmailPage(@Query('token') token?: string) {
    return shown({
      heading: 'Confirm your email address',
      paragraphs: ['One more step: press the button to confirm that this address is yours.'],
      action: { path: '/confirm-email', token: token ?? '', label: 'Confirm my address' },
    });
  }

  @Post('confirm-email')
  @HttpCode(200)
  @Page('account/mail-link', PAGE)
  confirmEmail(@Form(TOKEN_FORM) form: TokenForm) {
    return submit(
      form,
      async ({ token }) => {
        await this.verification.confirm(token);
        return shown({
          heading: 'Thank you',
          paragraphs: ['Your email address is confirmed. We are glad you are here.'],
          links: [{ href: '/', label: 'Go to Haven' }],
        });
      },
      () => deadLink('/settings/address', 'Ask for a new link in your settings'),
    );
  }

  @Get('change-email/confirm')
  @Page('account/mail-link', PAGE)
  confirmChangePage(@Query('token') token?: string) {
    return shown({
      heading: 'Confirm your new email address',
      paragraphs: ['Press the button to use this address for your Haven account from now on.'],
      action: { path: '/change-email/confirm', token: token ?? '', label: 'Confirm my new address' },
    });
  }

  @Post('change-email/confirm')
  @HttpCode(200)
  @Page('account/mail-link', PAGE)
  confirmChange(@Form(TOKEN_FORM) form: TokenForm) {
    return submit(
      form,
      async ({ token }) => {
        await this.emailChange.confirm(token);
        return shown({
          heading: 'Your new address is saved',
          paragraphs: ['Your account uses this email address from now on.'],
          links: [{ href: '/', label: 'Go to Haven' }],
        });
      },
      () => deadLink('/settings/address', 'Try again from your settings'),
    );
  }

  @Get('change-email/undo')
  @Page('account/mail-link', PAGE)
  undoChangePage(@Query('token') token?: string) {
    return shown({
      heading: 'Undo the change of your email address',
      paragraphs: [
        'Your account gets its old address back, and every device signed in to it is signed out, this one too.',
      ],
      action: { path: '/change-email/undo', token: token ?? '', label: 'Undo the change' },
    });
  }

  /** Every session ends, this browser's too: its cookie goes with it. */
  @Post('change-email/undo')
  @HttpCode(200)
  @Page('account/mail-link', PAGE)
  undoChange(@Form(TOKEN_FORM) form: TokenForm, @Res({ passthrough: true }) reply: FastifyReply) {
    return submit(
      form,
      async ({ token }) => {
        await this.emailChange.undo(token);
        this.session.end(reply.request, reply);
        return shown({
          heading: 'Your old address is back',
          paragraphs: [
            'Every device signed in to your account is signed out.',
            'If you did not change your address yourself, someone else may know your password. Please choose a ' +
              'new one now.',
          ],
          links: [
            { href: '/forgot-password', label: 'Choose a new password' },
            { href: '/signin', label: 'Sign in' },
          ],
        });
      },
      () => deadLink('/signin', 'Sign in'),
    );
  }
}
