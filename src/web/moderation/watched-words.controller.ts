import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ItemIdParams } from '../../moderation/queue/queue.dto';
import { STARTER_CRISIS_LIST } from '../../moderation/watched-words/starter-crisis-list';
import { CreateWatchedWordDto, WatchedWordsService } from '../../moderation/watched-words/watched-words.service';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { chrome, MODERATION_REFUSALS, refusal } from './moderation-web';

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

const WORD_FORM = {
  dto: CreateWatchedWordDto,
  labels: { pattern: 'Word or phrase', action: 'The action' },
  typed: (body: unknown): WordForm => ({ pattern: field(body, 'pattern'), action: field(body, 'action') }),
};

/** The watched words list: admins only, as on the API (moderators see rule numbers in the queue). */
@WebController('mod/watched-words')
@Roles('admin')
export class WatchedWordPagesController {
  constructor(private readonly words: WatchedWordsService) {}

  @Get()
  @Page('moderation/watched-words', { noindex: true })
  show(@CurrentUser() me: Principal) {
    return this.render(me, { pattern: '', action: 'hold' });
  }

  @Post()
  @HttpCode(200)
  @Page('moderation/watched-words', { noindex: true })
  async add(@Form(WORD_FORM) form: Submitted<WordForm, CreateWatchedWordDto>, @CurrentUser() me: Principal) {
    return submit(
      form,
      async (input) => {
        const word = await this.words.add(me, input);
        return redirect('/mod/watched-words#word-added', `Added “${word.pattern}” (${word.action}).`);
      },
      (refused) => this.render(me, form.typed, { status: refused.status, formProblem: refused }),
      MODERATION_REFUSALS,
    );
  }

  /** One click: the starter crisis phrases that are missing join the list (audited; a second click adds none). */
  @Post('starter-crisis')
  @HttpCode(200)
  @Page('moderation/watched-words', { noindex: true })
  async loadStarterCrisis(@CurrentUser() me: Principal) {
    const added = await this.words.loadStarterCrisisList(me);
    return redirect(
      '/mod/watched-words#starter-heading',
      added > 0
        ? `Added ${added} starter crisis ${added === 1 ? 'phrase' : 'phrases'}.`
        : 'Every starter crisis phrase is already on the list.',
    );
  }

  @Post(':id/remove')
  @HttpCode(200)
  @Page('moderation/watched-words', { noindex: true })
  async remove(@Param() params: Record<string, string>, @CurrentUser() me: Principal) {
    try {
      const { id } = await validated(ItemIdParams, { id: params.id });
      await this.words.remove(me, id);
      return redirect('/mod/watched-words', `Removed rule #${id}.`);
    } catch (err) {
      const { status, message } = refusal(err);
      return this.render(me, { pattern: '', action: 'hold' }, { status, listError: message });
    }
  }

  private async render(
    me: Principal,
    form: WordForm,
    outcome: { status?: number; formProblem?: FormRefusal; listError?: string } = {},
  ) {
    return view(
      'Watched words',
      {
        ...chrome('watched-words', me),
        words: await this.words.listWithAuthors(),
        starterCount: STARTER_CRISIS_LIST.length,
        choices: WATCHED_ACTION_CHOICES,
        form,
        formError: outcome.formProblem?.message,
        formProblem: outcome.formProblem,
        listError: outcome.listError,
      },
      { status: outcome.status ?? 200 },
    );
  }
}
