import { Get, HttpCode, Post, Query } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { MembersQueryDto, StoryInputDto } from '../../stories/dto/story.dto';
import { StoriesService } from '../../stories/stories.service';
import { labelled, type Refusal } from '../account/refusal';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { checked, field, formRefusal, optional, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { COUNTRY_OPTIONS, ROLE_OPTIONS, storyLines, SUBTYPE_OPTIONS, subtypeLabel } from './story-view';

interface StoryForm {
  role: string;
  subtype: string;
  diagnosisYear: string;
  country: string;
  shown: boolean;
  findable: boolean;
}

const LABELS: Record<string, string> = {
  role: 'Why you are here',
  subtype: 'Subtype',
  diagnosisYear: 'Year of diagnosis',
  country: 'Country',
  findable: 'Let members with the same subtype find you',
  shown: 'Show my story',
};

const STORY_FORM = {
  dto: StoryInputDto,
  typed: (body: unknown): StoryForm => ({
    role: field(body, 'role'),
    subtype: field(body, 'subtype'),
    diagnosisYear: field(body, 'diagnosisYear').trim(),
    country: field(body, 'country'),
    shown: checked(body, 'shown'),
    findable: checked(body, 'findable'),
  }),
  values: (typed: StoryForm, body: unknown) => ({
    role: optional(body, 'role'),
    subtype: optional(body, 'subtype'),
    diagnosisYear: optional(body, 'diagnosisYear'),
    country: optional(body, 'country'),
    shown: typed.shown,
    findable: typed.findable,
  }),
};

const MEMBERS_PER_PAGE = 20;

/**
 * "My story" in the settings (all optional, private unless she chooses) and the members page, where members find
 * others with the same subtype who let themselves be found. Members only; a sanctioned member may read the page
 * but not change her story (it is shown to others).
 */
@WebController()
@MembersOnly()
export class StoryPagesController {
  constructor(private readonly stories: StoriesService) {}

  @Get('settings/story')
  @Page('stories/story', { noindex: true })
  async edit(@CurrentUser() me: Principal) {
    const story = await this.stories.mine(me);
    return this.show({
      role: story.role ?? '',
      subtype: story.subtype ?? '',
      diagnosisYear: story.diagnosisYear ? String(story.diagnosisYear) : '',
      country: story.country ?? '',
      shown: story.shown,
      findable: story.findable,
    });
  }

  @Post('settings/story')
  @HttpCode(200)
  @Page('stories/story', { noindex: true })
  async save(@Form(STORY_FORM) form: Submitted<StoryForm, StoryInputDto>, @CurrentUser() me: Principal) {
    return submit(
      form,
      async (input) => {
        await this.stories.save(me, input);
        return redirect('/settings/story', 'Your story is saved.');
      },
      (refused) => this.show(form.typed, labelled(refused, LABELS)),
    );
  }

  @Get('members')
  @Page('stories/members', { noindex: true })
  async members(
    @CurrentUser() me: Principal,
    @Query('subtype') subtype?: string,
    @Query('role') role?: string,
    @Query('country') country?: string,
    @Query('cursor') cursor?: string,
  ) {
    const filters = { subtype: subtype ?? '', role: role ?? '', country: country ?? '' };
    const shell = { filters, roles: ROLE_OPTIONS, subtypes: SUBTYPE_OPTIONS, countries: COUNTRY_OPTIONS };
    if (!subtype && !role && !country) return view('Find members', { ...shell, results: undefined });
    try {
      const query = await validated(MembersQueryDto, {
        subtype: subtype || undefined,
        role: role || undefined,
        country: country || undefined,
        cursor: cursor || undefined,
        limit: MEMBERS_PER_PAGE,
      });
      const page = await this.stories.members(me, query);
      const next = page.nextCursor ? new URLSearchParams({ ...definedOnly(filters), cursor: page.nextCursor }) : null;
      return view(subtype ? `Members: ${subtypeLabel(subtype)}` : 'Members', {
        ...shell,
        results: page.items.map((m) => ({ ...m, lines: m.story ? storyLines(m.story) : [] })),
        nextHref: next ? `/members?${next.toString()}` : null,
        firstHref: cursor ? `/members?${new URLSearchParams(definedOnly(filters)).toString()}` : null,
      });
    } catch (err) {
      const problem = labelled(formRefusal(err), LABELS);
      return view('Find members', { ...shell, results: undefined, problem }, { status: problem.status });
    }
  }

  private show(form: StoryForm, problem?: Refusal) {
    return view(
      'Your story',
      { form, problem, roles: ROLE_OPTIONS, subtypes: SUBTYPE_OPTIONS, countries: COUNTRY_OPTIONS },
      { status: problem?.status ?? 200 },
    );
  }
}

const definedOnly = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ''));
