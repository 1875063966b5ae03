import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { UnsubscribeLinks } from '../../mail/unsubscribe';
import { SubscribeDto } from '../../subscriptions/dto';
import { UNSUBSCRIBE_SCOPE } from '../../subscriptions/subscription.constants';
import { SubscriptionsService } from '../../subscriptions/subscriptions.service';
import { labelled, refusal } from '../account/refusal';
import { field, optional, validated } from '../core/forms';
import { formRefusal } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { safeLocalPath } from '../core/safe-path';
import { MembersOnly, WebController } from '../core/web-controller.decorator';

const LABELS: Record<string, string> = {
  email: 'Your email address',
  frequency: 'How often',
  target: 'What to follow',
  timeZone: 'Your time zone',
  token: 'This link',
};

interface BoxForm {
  targetType: string;
  targetKey: string;
  email: string;
  frequency: string;
  next: string;
}

/**
 * "Get Email Updates" in a browser: the box's form (then "check your email"), the confirmation link's page (GET
 * shows a button, POST confirms: mail scanners follow GETs), the unsubscribe page, and her list in the settings.
 */
@WebController()
export class SubscriptionPagesController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly links: UnsubscribeLinks,
  ) {}

  @Post('subscriptions')
  @HttpCode(200)
  @Page('subscriptions/subscribe', { noindex: true })
  async subscribe(@Body() body: Record<string, unknown>, @CurrentUser() me?: Principal) {
    const form: BoxForm = {
      targetType: field(body, 'targetType'),
      targetKey: field(body, 'targetKey'),
      email: field(body, 'email'),
      frequency: field(body, 'frequency') || 'daily',
      next: safeLocalPath(field(body, 'next')),
    };
    try {
      const input = await validated(SubscribeDto, {
        email: me ? undefined : optional(body, 'email'),
        target: { type: form.targetType, ...(form.targetKey ? { key: form.targetKey } : {}) },
        frequency: form.frequency,
      });
      const answer = await this.subscriptions.subscribe(me, input);
      if (answer.status === 'pending') return redirect('/subscriptions/check-email');
      // The thanks beside the box it came from (views/subscriptions/box.eta), where the page lands.
      return redirect(`${form.next.split('#')[0]}#updates-saved`, answer.message);
    } catch (err) {
      const problem = refusal(err, LABELS);
      return view('Get email updates', { form, problem }, { status: problem.status });
    }
  }

  @Get('subscriptions/check-email')
  @Page('subscriptions/check-email', { noindex: true })
  checkEmail() {
    return view('Check your email to confirm', {});
  }

  @Get('subscriptions/confirm/:token')
  @Page('subscriptions/confirm', { noindex: true })
  confirmPage(@Param('token') token: string) {
    return view('Confirm your email updates', { token, done: false });
  }

  @Post('subscriptions/confirm/:token')
  @HttpCode(200)
  @Page('subscriptions/confirm', { noindex: true })
  async confirm(@Param('token') token: string) {
    try {
      await this.subscriptions.confirm(token);
      return view('You will get email updates', { token, done: true });
    } catch (err) {
      const problem = labelled(formRefusal(err), LABELS);
      return view('Confirm your email updates', { token, done: false, problem }, { status: problem.status });
    }
  }

  @Get('unsubscribe/:token')
  @Page('subscriptions/unsubscribe', { noindex: true })
  async unsubscribePage(@Param('token') token: string) {
    const target = this.links.read(token);
    if (!target || !this.links.handlerFor(target.scope)) throw notFound('Unsubscribe link');
    const title = target.scope === UNSUBSCRIBE_SCOPE ? await this.subscriptions.describeOne(target.id) : undefined;
    const what =
      target.scope === UNSUBSCRIBE_SCOPE
        ? title
          ? `email updates about “${title}”`
          : undefined
        : 'these emails from Haven';
    return view('Stop these emails', { token, what, done: false });
  }

  @Post('unsubscribe/:token')
  @HttpCode(200)
  @Page('subscriptions/unsubscribe', { noindex: true })
  async unsubscribe(@Param('token') token: string) {
    const message = await this.links.stop(token);
    return view('Emails stopped', { token, message, done: true });
  }

  @Get('settings/subscriptions')
  @MembersOnly()
  @Page('subscriptions/settings', { noindex: true })
  async mine(@CurrentUser() me: Principal) {
    const list = await this.subscriptions.listMine(me, { limit: 100 });
    return view('Your email updates', { subscriptions: list.items, more: list.nextCursor !== null });
  }

  @Post('settings/subscriptions/:id/stop')
  @MembersOnly()
  async stop(@Param('id') id: string, @CurrentUser() me: Principal) {
    if (!/^\d{1,18}$/.test(id)) throw notFound('Subscription');
    await this.subscriptions.removeMine(me, id);
    return redirect('/settings/subscriptions', 'Stopped. You will get no more email updates about it.');
  }
}
