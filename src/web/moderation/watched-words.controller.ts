import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ItemIdParams } from '../../moderation/queue/queue.dto';
import { CreateWatchedWordDto, WatchedWordsService } from '../../moderation/watched-words/watched-words.service';
import { field, validated } from '../core/forms';
import { Pages } from '../core/pages';
import { WebController } from '../core/web-controller.decorator';
import { ModerationReads } from './moderation-reads';
import { chrome, refusal } from './moderation-web';

export const WATCHED_ACTION_CHOICES = [
  { value: 'hold', label: 'Hold', hint: 'the text waits in the queue until a moderator approves it' },
  { value: 'flag', label: 'Flag', hint: 'the text is published, and a moderator takes a look' },
  {
    value: 'crisis',
    label: 'Crisis',
    hint: 'published, first in the queue, moderators alerted, and the author shown support lines',
  },
  { value: 'block', label: 'Block', hint: 'the text is refused and the author asked to rephrase it' },
] as const;

interface WordForm {
  pattern: string;
  action: string;
}

/** The watched words list: admins only, as on the API (moderators see rule numbers in the queue). */
@WebController('mod/watched-words')
@Roles('admin')
export class WatchedWordPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly words: WatchedWordsService,
    private readonly reads: ModerationReads,
  ) {}

  @Get()
  show(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() me: Principal) {
    return this.render(req, reply, me, { pattern: '', action: 'hold' });
  }

  @Post()
  @HttpCode(200)
  async add(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const form: WordForm = { pattern: field(body, 'pattern'), action: field(body, 'action') };
    try {
      const input = await validated(CreateWatchedWordDto, { ...form });
      const word = await this.words.add(me, input);
      return this.pages.redirect(req, reply, '/mod/watched-words', `Added “${word.pattern}” (${word.action}).`);
    } catch (err) {
      const { status, message } = refusal(err);
      return this.render(req, reply, me, form, { status, formError: message });
    }
  }

  @Post(':id/remove')
  @HttpCode(200)
  async remove(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param() params: Record<string, string>,
    @CurrentUser() me: Principal,
  ) {
    try {
      const { id } = await validated(ItemIdParams, { id: params.id });
      await this.words.remove(me, id);
      return this.pages.redirect(req, reply, '/mod/watched-words', `Removed rule #${id}.`);
    } catch (err) {
      const { status, message } = refusal(err);
      return this.render(req, reply, me, { pattern: '', action: 'hold' }, { status, listError: message });
    }
  }

  private async render(
    req: FastifyRequest,
    reply: FastifyReply,
    me: Principal,
    form: WordForm,
    outcome: { status?: number; formError?: string; listError?: string } = {},
  ) {
    return this.pages.render(
      req,
      reply,
      'moderation/watched-words',
      'Watched words',
      {
        ...chrome('watched-words', me.role === 'admin'),
        words: await this.reads.watchedWords(),
        choices: WATCHED_ACTION_CHOICES,
        form,
        formError: outcome.formError,
        listError: outcome.listError,
      },
      { noindex: true, status: outcome.status ?? 200 },
    );
  }
}
