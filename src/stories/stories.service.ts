import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActiveSanctions } from '../common/auth/active-sanctions';
import type { Principal } from '../common/auth/principal';
import { badInput } from '../common/errors/domain-error';
import type { ExportRow } from '../common/member-data/member-data';
import { UsersService } from '../users/users.service';
import type { MemberCard, MembersQueryDto, Story, StoryFacts, StoryInputDto } from './dto/story.dto';

const NOTHING_SAID: Story = {
  role: null,
  subtype: null,
  diagnosisYear: null,
  country: null,
  shown: false,
  findable: false,
};

const COLUMNS = `role, subtype, diagnosis_year AS "diagnosisYear", country, shown, findable`;

type StoryRow = Story & { userId: string };

/**
 * "My story" (member_stories): hers to write, private unless she shows it on her profile (to members, never to
 * guests) or lets members with the same subtype find her. Blocks hide it both ways; a sanctioned member is not
 * listed. Its SQL lives here; names and blocks are asked of the users feature.
 */
@Injectable()
export class StoriesService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly sanctions: ActiveSanctions,
  ) {}

  async mine(me: Principal): Promise<Story> {
    return (await this.storyOf(me.id)) ?? NOTHING_SAID;
  }

  /** Replaces her story: what she leaves out is no longer said; being found needs a subtype to be found by. */
  async save(me: Principal, input: StoryInputDto): Promise<Story> {
    const story: Story = {
      role: input.role ?? null,
      subtype: input.subtype ?? null,
      diagnosisYear: input.diagnosisYear ?? null,
      country: input.country ?? null,
      shown: input.shown ?? false,
      findable: input.findable ?? false,
    };
    if (story.diagnosisYear !== null && story.diagnosisYear > new Date().getUTCFullYear()) {
      throw badInput('diagnosisYear', 'must not be after this year');
    }
    if (story.findable && !story.subtype) throw badInput('findable', 'needs a subtype: others find you by it');
    await this.db.query(
      `INSERT INTO member_stories (user_id, role, subtype, diagnosis_year, country, shown, findable)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (user_id) DO UPDATE SET role = $2, subtype = $3, diagnosis_year = $4, country = $5, shown = $6,
         findable = $7, updated_at = now()`,
      [me.id, story.role, story.subtype, story.diagnosisYear, story.country, story.shown, story.findable],
    );
    return story;
  }

  /**
   * The story a profile shows this reader: to members only, when she shows it and neither blocked the other; her
   * own always (with her choices). Undefined: nothing to show.
   */
  async onProfile(
    viewer: Principal | undefined,
    username: string,
  ): Promise<(StoryFacts & { own: boolean }) | undefined> {
    if (!viewer) return undefined;
    const id = await this.users.memberId(username);
    const story = await this.storyOf(id);
    if (!story || !said(story)) return undefined;
    if (id === viewer.id) return { ...facts(story), own: true };
    if (!story.shown) return undefined;
    if ((await this.users.blockedEitherWay(viewer.id)).includes(id)) return undefined;
    return { ...facts(story), own: false };
  }

  /**
   * Members who let others find them, by subtype (role and country match only those who show their story): never herself, anyone she blocked or who blocked her, nor a member under a sanction. Keyset by id.
   */
  async members(
    viewer: Principal,
    query: MembersQueryDto,
  ): Promise<{ items: MemberCard[]; nextCursor: string | null }> {
    if (!query.subtype && !query.role && !query.country) {
      throw badInput('subtype', 'is needed, or a role or a country: choose whom to look for');
    }
    const limit = query.limit ?? 20;
    const after = query.cursor && /^\d{1,18}$/.test(query.cursor) ? query.cursor : null;
    if (query.cursor && !after) throw badInput('cursor', 'is not one this list gave');
    const hidden = [viewer.id, ...(await this.users.blockedEitherWay(viewer.id))];
    const active = this.sanctions.sql('s.user_id');
    const rows = (await this.db.query(
      `SELECT * FROM (
         SELECT s.user_id AS "userId", ${COLUMNS}, ${active.columns}
           FROM member_stories s ${active.join}
          WHERE s.findable AND ($1::text IS NULL OR s.subtype = $1) AND NOT (s.user_id = ANY($2::bigint[]))
            AND ($3::bigint IS NULL OR s.user_id > $3)
            AND ($4::text IS NULL OR (s.shown AND s.role = $4))
            AND ($5::text IS NULL OR (s.shown AND s.country = $5))
       ) q WHERE q."sanctionKind" IS NULL ORDER BY q."userId" LIMIT $6`,
      [query.subtype ?? null, hidden, after, query.role ?? null, query.country ?? null, limit + 1],
    )) as StoryRow[];
    const page = rows.slice(0, limit);
    const names = await this.users.namesById(page.map((r) => r.userId));
    const items = page
      .filter((r) => names.has(r.userId))
      .map((r) => ({ ...names.get(r.userId)!, story: r.shown ? facts(r) : null }));
    return { items, nextCursor: rows.length > limit ? page[page.length - 1].userId : null };
  }

  /** Her archive's part: her story, as she wrote it. */
  async exportOf(userId: string, after: string | null): Promise<ExportRow[]> {
    if (after) return [];
    const story = await this.storyOf(userId);
    return story ? [{ id: userId, ...story }] : [];
  }

  private async storyOf(userId: string): Promise<Story | undefined> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM member_stories WHERE user_id = $1`, [userId])) as Story[];
    return rows[0];
  }
}

const facts = (s: Story): StoryFacts => ({
  role: s.role,
  subtype: s.subtype,
  diagnosisYear: s.diagnosisYear,
  country: s.country,
});

const said = (s: Story) => s.role !== null || s.subtype !== null || s.diagnosisYear !== null || s.country !== null;
