import { Get, HttpCode, Post } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ConversationsService } from '../../conversations/conversations.service';
import type { ConversationSettingsDto } from '../../conversations/dto/conversation.dto';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { type FormRefusal, problemsOf } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { SETTINGS_FORM } from './conversation-forms';

/** The three answers to "who may start a conversation with you", in her words. */
const CHOICES = [
  { value: 'everyone', label: 'Any member' },
  { value: 'known', label: 'Only members I have already talked with in a conversation' },
  { value: 'nobody', label: 'Nobody: I will start conversations myself' },
] as const;

const SAVED: Record<string, string> = {
  everyone: 'Saved: any member may start a conversation with you.',
  known: 'Saved: only members you have talked with may start a conversation with you.',
  nobody: 'Saved: nobody may start a conversation with you; you can still start one yourself.',
};

/** Settings, Messages: who may start a private conversation with her (everyone, members she knows, nobody). */
@WebController('settings/messages')
@MembersOnly()
export class ConversationSettingsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @Page('conversations/settings', { noindex: true })
  async settings(@CurrentUser() me: Principal) {
    const mine = await this.conversations.settings(me.id);
    return settingsView(mine.accept);
  }

  @Post()
  @HttpCode(200)
  @Page('conversations/settings', { noindex: true })
  async save(
    @Form(SETTINGS_FORM) form: Submitted<{ accept: string }, ConversationSettingsDto>,
    @CurrentUser() me: Principal,
  ) {
    return submit(
      form,
      async (input) => {
        await this.conversations.updateSettings(me.id, input);
        return redirect('/settings/messages#messages-saved', SAVED[input.accept]);
      },
      (refused) => settingsView(form.typed.accept, inSettingsWords(refused)),
    );
  }
}

function settingsView(accept: string, problem?: FormRefusal) {
  return view(
    'Who can message you',
    { accept, choices: CHOICES, problem },
    { status: problem?.status ?? 200, retryAfterSeconds: problem?.retryAfterSeconds },
  );
}

/** Nothing chosen (or a forged value) reads as a question, linked to the first choice. */
function inSettingsWords(refused: FormRefusal): FormRefusal {
  const problems = problemsOf(refused).map((p) =>
    (p.raw ?? p.message).startsWith('accept')
      ? { ...p, field: 'accept', message: 'Please choose who may start a conversation with you.' }
      : p,
  );
  return { ...refused, problems, message: problems.map((p) => p.message).join(' '), field: problems[0]?.field };
}
