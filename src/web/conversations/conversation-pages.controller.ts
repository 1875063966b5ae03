import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { renderMarkdown } from '../../common/markdown/markdown';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { ConversationsService } from '../../conversations/conversations.service';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { Page } from '../core/page.decorator';
import { redirect } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { ConversationPages, type ReplyForm, type StartForm } from './conversation-pages';
import { knownId, newClientId, usernamesOf } from './conversation-view';
import type { StartConversationDto } from '../../conversations/dto/conversation.dto';
import { REPLY_FORM, type ReplyFormDto, START_FORM } from './conversation-forms';

/** A message waiting for a moderator, in the words its author reads. */
const WAITING =
  'Your message is waiting for a moderator to look at it; the others will see it once it is approved. Thank you for your patience.';

/**
 * Private conversations in the pages: her list, starting one, a conversation with its history and a reply form
 * (the conversation island then makes it live), leaving one. Every refusal of the service (she may not write to
 * this member yet, they do not accept messages, a block, the day's limit, watched words) comes back beside the form
 * in words, with what she typed kept.
 */
@WebController('messages')
@MembersOnly()
export class ConversationPagesController {
  constructor(
    private readonly pages: ConversationPages,
    private readonly conversations: ConversationsService,
  ) {}

  @Get()
  @Page('conversations/list', { noindex: true })
  list(@CurrentUser() me: Principal, @Query('cursor') cursor?: string) {
    return this.pages.list(me, cursor);
  }

  @Get('new')
  @Page('conversations/new', { noindex: true })
  newConversation(@Query('to') to?: string) {
    const usernames = typeof to === 'string' ? usernamesOf(to).join(', ') : '';
    return this.pages.startForm({ usernames, body: '', clientId: newClientId() });
  }

  @Cost(COSTS.markdown)
  @Post('new')
  @HttpCode(200)
  @Page('conversations/new', { noindex: true })
  async start(@Form(START_FORM) form: Submitted<StartForm, StartConversationDto>, @CurrentUser() me: Principal) {
    if (form.intent === 'preview')
      return this.pages.startForm(form.typed, { preview: renderMarkdown(form.typed.body) });
    return submit(
      form,
      async (input) => {
        const started = await this.conversations.start(me, input);
        const to = `/messages/${started.conversation.id}${started.notice ? '?support=1' : ''}#m-${started.message.id}`;
        return redirect(to, started.status === 'pending' ? WAITING : undefined);
      },
      (refused) => this.pages.startForm(form.typed, { problem: refused }),
      ['forbidden', 'not_found'],
    );
  }

  @Get(':id')
  @Page('conversations/conversation', { noindex: true })
  conversation(
    @Param('id') id: string,
    @CurrentUser() me: Principal,
    @Query('before') before?: string,
    @Query('support') support?: string,
  ) {
    return this.pages.conversation(me, id, { before, support: support === '1' });
  }

  /** The reply form without JavaScript: the same service, rules and gate as the API and the socket. */
  @Post(':id')
  @HttpCode(200)
  @Page('conversations/conversation', { noindex: true })
  async reply(
    @Param('id') id: string,
    @Form(REPLY_FORM) form: Submitted<ReplyForm, ReplyFormDto>,
    @CurrentUser() me: Principal,
  ) {
    knownId(id);
    return submit(
      form,
      async (input) => {
        const sent = await this.conversations.send(me, id, input);
        const to = `/messages/${id}${sent.notice ? '?support=1' : ''}#m-${sent.message.id}`;
        return redirect(to, sent.status === 'pending' ? WAITING : undefined);
      },
      (refused) => this.pages.conversation(me, id, { form: form.typed, problem: refused }),
      ['forbidden'],
    );
  }

  @Get(':id/leave')
  @Page('conversations/leave', { noindex: true })
  leaving(@Param('id') id: string, @CurrentUser() me: Principal) {
    return this.pages.leaving(me, id);
  }

  @Post(':id/leave')
  @HttpCode(200)
  async leave(@Param('id') id: string, @CurrentUser() me: Principal) {
    await this.conversations.leave(me, knownId(id));
    return redirect('/messages', 'You left the conversation. Take care.');
  }
}
