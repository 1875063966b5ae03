import { Get, HttpCode, Post } from '@nestjs/common';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { renderMarkdown } from '../../common/markdown/markdown';
import { StarterTextDto } from '../../moderation/reach-out/reach-out.dto';
import { ReachOutSettingsService, type ReachOutSettings } from '../../moderation/reach-out/reach-out-settings.service';
import { labelled } from '../account/refusal';
import { readerZone } from '../core/dates';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { chrome } from '../moderation/moderation-web';

interface StarterForm {
  starterText: string;
}

const LABELS = { starterText: 'The starter text' };

const STARTER_FORM = {
  dto: StarterTextDto,
  labels: LABELS,
  typed: (body: unknown): StarterForm => ({ starterText: field(body, 'starterText') }),
};

/**
 * The first message of every care conversation a moderator opens from the queue ("Reach out"): admins write it,
 * with a preview; until then the default, written for someone who may be frightened, is used.
 */
@WebController('admin/reach-out')
@Roles('admin')
export class ReachOutPagesController {
  constructor(private readonly settings: ReachOutSettingsService) {}

  @Get()
  @Page('admin/reach-out', { noindex: true })
  async show(@CurrentUser() me: Principal) {
    const settings = await this.settings.get();
    return starterView(me, settings, { starterText: settings.starterText });
  }

  @Post()
  @HttpCode(200)
  @Page('admin/reach-out', { noindex: true })
  async save(@Form(STARTER_FORM) form: Submitted<StarterForm, StarterTextDto>, @CurrentUser() me: Principal) {
    const settings = await this.settings.get();
    if (form.intent === 'default') return starterView(me, settings, { starterText: settings.defaultText });
    if (form.intent === 'preview' && !form.refusal) return starterView(me, settings, form.typed, { preview: true });
    return submit(
      form,
      async (input) => {
        await this.settings.update(me, input.starterText);
        return redirect('/admin/reach-out', 'The starter text is saved. The next care conversation starts with it.');
      },
      (refused) => starterView(me, settings, form.typed, { refused }),
    );
  }
}

function starterView(
  me: Principal,
  settings: ReachOutSettings,
  form: StarterForm,
  outcome: { preview?: boolean; refused?: FormRefusal } = {},
) {
  const problem = outcome.refused ? labelled(outcome.refused, LABELS) : undefined;
  return view(
    'Reaching out: the starter text',
    {
      ...chrome('reach-out', me),
      form,
      custom: settings.custom,
      updatedAt: settings.updatedAt,
      updatedWhen: settings.updatedAt ? readerZone(me).fullTime(settings.updatedAt) : null,
      previewHtml: outcome.preview ? renderMarkdown(form.starterText) : undefined,
      problem,
    },
    { status: problem?.status ?? 200 },
  );
}
