import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { FirstAdminDto } from '../../auth/dto/setup.dto';
import { PASSWORD_MIN } from '../../auth/password-policy';
import { SetupLink } from '../../auth/setup-link';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { refusal, type Refusal } from '../account/refusal';
import { field, optional, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';

const LABELS: Record<string, string> = {
  username: 'Username',
  email: 'Email',
  password: 'Password',
  displayName: 'Display name',
};

/** What the form shows again after a refusal: everything typed except the password. */
interface Typed {
  username: string;
  email: string;
  displayName: string;
}

const EMPTY: Typed = { username: '', email: '', displayName: '' };
const PAGE = { noindex: true };

/**
 * The setup link a fresh install prints (auth/setup-link.ts): a form for the first admin account, then, for ever,
 * a kind page saying the link was used. 410 Gone for a used, replaced or expired link alike.
 */
@WebController()
export class SetupPagesController {
  constructor(private readonly setup: SetupLink) {}

  @Get('setup/:token')
  @Page('setup/setup', PAGE)
  async form(@Param('token') token: string) {
    return (await this.setup.isOpen(token)) ? this.show(token, EMPTY) : closed();
  }

  @Cost(COSTS.register)
  @Post('setup/:token')
  @HttpCode(200)
  @Page('setup/setup', PAGE)
  async create(@Param('token') token: string, @Body() body: Record<string, unknown>) {
    const typed: Typed = {
      username: field(body, 'username'),
      email: field(body, 'email'),
      displayName: field(body, 'displayName'),
    };
    try {
      const outcome = await this.setup.createFirstAdmin(token, await this.input(body));
      if (outcome === 'closed') return closed();
      return redirect(
        '/signin',
        `Your admin account ${outcome.admin.username} is ready. Sign in with it to run Haven; this link will not work again.`,
      );
    } catch (err) {
      return this.show(token, typed, refusal(err, LABELS));
    }
  }

  private input(body: unknown): Promise<FirstAdminDto> {
    return validated(FirstAdminDto, {
      username: field(body, 'username'),
      email: field(body, 'email'),
      password: field(body, 'password'),
      displayName: optional(body, 'displayName'),
    });
  }

  private show(token: string, typed: Typed, problem?: Refusal) {
    return view(
      'Set up Haven',
      { open: true, action: `/setup/${token}`, form: typed, problem, passwordMin: PASSWORD_MIN },
      { status: problem?.status ?? 200 },
    );
  }
}

/** The kind answer to a link that no longer works. */
function closed() {
  return view('This setup link was already used', { open: false }, { status: 410 });
}
