import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { NUMERIC_ID_PATTERN } from '../../common/validation/decorators';
import { SitePageInputDto, SupportLineInputDto } from '../../library/dto';
import { renderLibraryMarkdown } from '../../library/library-markdown';
import { SUPPORT_KINDS } from '../../library/library.constants';
import { isSitePageKey, SitePagesService } from '../../library/site-pages.service';
import { SupportLinesService } from '../../library/support-lines.service';
import { labelled } from '../account/refusal';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal, optional } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { countryName } from './crisis-lines';

interface SiteForm {
  title: string;
  body: string;
}

const SITE_FORM = {
  dto: SitePageInputDto,
  typed: (body: unknown): SiteForm => ({ title: field(body, 'title'), body: field(body, 'body') }),
};

interface LineForm {
  country: string;
  kind: string;
  name: string;
  phone: string;
  hours: string;
  url: string;
}

const LINE_FORM = {
  dto: SupportLineInputDto,
  typed: (body: unknown): LineForm => ({
    country: field(body, 'country').trim().toUpperCase(),
    kind: field(body, 'kind'),
    name: field(body, 'name'),
    phone: field(body, 'phone').trim(),
    hours: field(body, 'hours'),
    url: field(body, 'url').trim(),
  }),
  values: (typed: LineForm, body: unknown) => ({ ...typed, url: optional(body, 'url') }),
};

const LABELS: Record<string, string> = {
  title: 'Title',
  body: 'Text',
  country: 'Country code',
  kind: 'Kind of line',
  name: 'Name',
  phone: 'Phone number',
  hours: 'Opening hours',
  url: 'Web address',
};

const KIND_CHOICES = [
  { value: 'crisis', label: 'Crisis line (shown first, and in the banner)' },
  { value: 'nurse', label: 'Specialist nurse helpline' },
] as const satisfies ReadonlyArray<{ value: (typeof SUPPORT_KINDS)[number]; label: string }>;

const EMPTY_LINE: LineForm = { country: '', kind: 'crisis', name: '', phone: '', hours: '', url: '' };

/** The site's own pages and the support lines, for admins. */
@WebController('admin')
@Roles('admin')
export class SiteAdminController {
  constructor(
    private readonly site: SitePagesService,
    private readonly lines: SupportLinesService,
  ) {}

  @Get('site-pages')
  @Page('admin/site-pages', { noindex: true })
  async sitePages() {
    return view('Site pages', { pages: await this.site.list() });
  }

  @Get('site-pages/:key')
  @Page('admin/site-page-form', { noindex: true })
  async editSitePage(@Param('key') key: string) {
    const page = await this.site.get(key);
    return siteForm(page.key, { title: page.title, body: page.body });
  }

  @Post('site-pages/:key')
  @HttpCode(200)
  @Page('admin/site-page-form', { noindex: true })
  async saveSitePage(
    @Param('key') key: string,
    @Form(SITE_FORM) form: Submitted<SiteForm, SitePageInputDto>,
    @CurrentUser() me: Principal,
  ) {
    if (!isSitePageKey(key)) throw notFound('Page');
    if (form.intent === 'preview') return siteForm(key, form.typed, { preview: true });
    return submit(
      form,
      async (input) => {
        await this.site.put(me, key, input);
        return redirect(`/${key}`, `The page “${input.title}” is saved.`);
      },
      (refused) => siteForm(key, form.typed, { refused }),
    );
  }

  @Get('support-lines')
  @Page('admin/support-lines', { noindex: true })
  supportLines() {
    return this.linesView(EMPTY_LINE);
  }

  @Post('support-lines')
  @HttpCode(200)
  @Page('admin/support-lines', { noindex: true })
  async addLine(@Form(LINE_FORM) form: Submitted<LineForm, SupportLineInputDto>, @CurrentUser() me: Principal) {
    return submit(
      form,
      async (input) => {
        const line = await this.lines.add(me, input);
        return redirect('/admin/support-lines', `Added ${line.name} (${line.country}).`);
      },
      (refused) => this.linesView(form.typed, refused),
    );
  }

  @Get('support-lines/:id')
  @Page('admin/support-line-form', { noindex: true })
  async editLine(@Param('id') id: string) {
    const line = await this.lines.get(lineId(id));
    return lineForm(line.id, { ...line, url: line.url ?? '' });
  }

  @Post('support-lines/:id')
  @HttpCode(200)
  @Page('admin/support-line-form', { noindex: true })
  async saveLine(
    @Param('id') rawId: string,
    @Form(LINE_FORM) form: Submitted<LineForm, SupportLineInputDto>,
    @CurrentUser() me: Principal,
  ) {
    const id = lineId(rawId);
    return submit(
      form,
      async (input) => {
        const line = await this.lines.update(me, id, input);
        return redirect('/admin/support-lines', `Saved ${line.name} (${line.country}).`);
      },
      (refused) => lineForm(id, form.typed, refused),
    );
  }

  @Post('support-lines/:id/remove')
  async removeLine(@Param('id') id: string, @CurrentUser() me: Principal) {
    await this.lines.remove(me, lineId(id));
    return redirect('/admin/support-lines', 'The line is removed.');
  }

  private async linesView(form: LineForm, refused?: FormRefusal) {
    const problem = refused ? labelled(refused, LABELS) : undefined;
    const countries = await this.lines.byCountries();
    return view(
      'Support lines',
      {
        countries: countries.map((c) => ({ ...c, name: countryName(c.country) })),
        form,
        kinds: KIND_CHOICES,
        problem,
      },
      { status: problem?.status ?? 200 },
    );
  }
}

function lineId(raw: string): string {
  if (!NUMERIC_ID_PATTERN.test(raw)) throw notFound('Support line');
  return raw;
}

function siteForm(key: string, form: SiteForm, outcome: { preview?: boolean; refused?: FormRefusal } = {}) {
  const problem = outcome.refused ? labelled(outcome.refused, LABELS) : undefined;
  return view(
    `Edit “${form.title || key}”`,
    { key, form, problem, previewHtml: outcome.preview ? renderLibraryMarkdown(form.body) : undefined },
    { status: problem?.status ?? 200 },
  );
}

function lineForm(id: string, form: LineForm, refused?: FormRefusal) {
  const problem = refused ? labelled(refused, LABELS) : undefined;
  return view(
    `Edit ${form.name || 'support line'}`,
    { id, form, kinds: KIND_CHOICES, problem },
    { status: problem?.status ?? 200 },
  );
}
