import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { renderMarkdown } from '../../common/markdown/markdown';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import { ensureTeamAccount } from '../../users/team-account';

/**
 * A fresh community outside production is not an empty room: starter categories, each described, a pinned welcome
 * and the community guidelines, written by the system account `haven` (which cannot sign in).
 */
const CATEGORIES = [
  {
    slug: 'newly-diagnosed',
    name: 'Newly diagnosed',
    description:
      'Just heard the words "metastatic" or "stage IV"? Start here. Ask anything, however small; others have stood where you stand.',
  },
  {
    slug: 'living-with-mbc',
    name: 'Living with metastatic breast cancer',
    description: 'Day-to-day life with MBC: scans and scanxiety, work, family, energy, and the good days too.',
  },
  {
    slug: 'treatments-and-side-effects',
    name: 'Treatments and side effects',
    description:
      'Share experiences of treatments and how you manage side effects. Experiences, not medical advice: your care team knows your case.',
  },
  {
    slug: 'caregivers-and-family',
    name: 'Caregivers and family',
    description: 'For partners, children, parents and friends who care for someone with MBC, and need care themselves.',
  },
  {
    slug: 'everyday-life-and-hope',
    name: 'Everyday life and hope',
    description: 'Small joys, recipes, books, gardens, milestones, and whatever helps you keep going.',
  },
] as const;

const GUIDELINES = `Welcome. This is a place for people living with metastatic breast cancer and for the people who care for them. To keep it safe and kind:

1. **Be kind.** Everyone here is carrying something heavy. Disagree gently, never mock, never pile on.
2. **No medical advice in place of a doctor's.** Share what happened to you and what helped you; do not tell others to stop, start or change a treatment. Your care team knows your case.
3. **Protect your privacy.** Do not post your full name, address, phone number, hospital record numbers or photos of documents. You may post anonymously: members will see "Anonymous member"; only moderators can see who wrote it.
4. **Respect others' privacy.** What people share here stays here. Do not copy posts elsewhere.
5. **No selling.** No promotion of products, supplements, clinics or "cures". Moderators remove them.
6. **If you are in crisis,** please contact your local emergency number or a crisis line now. This community cares, but it cannot respond like emergency services.

Use **Report** on anything that worries you. Moderators read every report.`;

const WELCOME = `We are glad you found us, and sorry for what brought you here.

Haven is a community of people living with metastatic breast cancer and those who love and care for them. You can read without signing up; to post, create an account. Your first posts are read by a moderator before they appear, which keeps spam and harm out.

A few places to start:

- **Newly diagnosed**: introduce yourself, ask anything.
- **Treatments and side effects**: what helped others through a treatment.
- **Caregivers and family**: for those who look after someone.

Please read the community guidelines, pinned beside this post. Take what helps, leave the rest, and be gentle with yourself.`;

/** The open thread where newcomers say hello: the first thing a new member can write, and read by others. */
export const INTRODUCTIONS_TITLE = 'Introduce yourself';

const INTRODUCTIONS = `Hello, and welcome. This thread is for saying who you are, as much or as little as you like.

You might share:

- your first name or the name you like to go by,
- whether you live with metastatic breast cancer or care for someone who does,
- where you are in things: just diagnosed, years into treatment, or somewhere in between,
- what you hope to find here: answers, company, a place to be honest.

There is no right way to do this. A single line is enough. If you would rather not say anything personal, you can also post anonymously.

Your first post is read by a moderator before it appears, so it may take a little while to show. When it does, others will come and say hello. We are glad you are here.`;

/** A starter thread: its title, its first post, and whether replies are closed (the notices) or open. */
interface StarterThread {
  title: string;
  body: string;
  locked: boolean;
}

@Injectable()
export class StarterCommunity implements OnApplicationBootstrap {
  private readonly logger = new Logger(StarterCommunity.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.isProduction) return;
    await this.db.transaction(async (m) => {
      // One seeder at a time, even with several processes starting together.
      await m.query(`SELECT pg_advisory_xact_lock(7361043)`);
      const [{ count }] = (await m.query(`SELECT count(*)::int AS count FROM categories`)) as Array<{ count: number }>;
      if (count > 0) return this.addIntroductions(m);
      const system = await ensureTeamAccount(m);
      for (const [position, c] of CATEGORIES.entries()) {
        await m.query(
          `INSERT INTO categories (slug, name, description, approval, position) VALUES ($1, $2, $3, 'new_members', $4)`,
          [c.slug, c.name, c.description, position],
        );
      }
      for (const t of [
        { title: 'Welcome to Haven: start here', body: WELCOME, locked: true },
        { title: 'Community guidelines', body: GUIDELINES, locked: true },
        { title: INTRODUCTIONS_TITLE, body: INTRODUCTIONS, locked: false },
      ]) {
        await starterThread(m, system.id, t);
      }
      this.logger.log(
        'seeded a starter community: 5 categories, a welcome, the guidelines and an introductions thread',
      );
    });
  }

  /**
   * A community seeded before the introductions thread existed gets it once: only where the team's welcome is (a
   * seeded install, not one whose admins built their own), and never again once the team's thread exists in any
   * state (an admin who hid or deleted it keeps it so).
   */
  private async addIntroductions(m: EntityManager): Promise<void> {
    // The team's welcome (pinned in "Newly diagnosed") marks a seeded install; its author is the team account.
    const rows = (await m.query(
      `SELECT w.author_id AS id,
              EXISTS (SELECT 1 FROM threads t WHERE t.author_id = w.author_id AND t.title = $1) AS "hasIntroductions"
         FROM threads w JOIN categories c ON c.id = w.category_id AND c.slug = 'newly-diagnosed'
        WHERE w.title = 'Welcome to Haven: start here' AND w.pinned
        ORDER BY w.id LIMIT 1`,
      [INTRODUCTIONS_TITLE],
    )) as Array<{ id: string; hasIntroductions: boolean }>;
    const team = rows[0];
    if (!team || team.hasIntroductions) return;
    await starterThread(m, team.id, { title: INTRODUCTIONS_TITLE, body: INTRODUCTIONS, locked: false });
    this.logger.log('added the open introductions thread to the starter community');
  }
}

/** One pinned starter thread in "Newly diagnosed", with its first post, counted in the category. */
async function starterThread(m: EntityManager, authorId: string, t: StarterThread): Promise<void> {
  const [thread] = (await m.query(
    `INSERT INTO threads (category_id, author_id, title, pinned, locked, status)
     SELECT id, $1, $2, true, $3, 'published' FROM categories WHERE slug = 'newly-diagnosed' RETURNING id`,
    [authorId, t.title, t.locked],
  )) as Array<{ id: string }>;
  const [post] = (await m.query(
    `INSERT INTO posts (thread_id, author_id, body, body_html, status) VALUES ($1, $2, $3, $4, 'published') RETURNING id`,
    [thread.id, authorId, t.body, renderMarkdown(t.body)],
  )) as Array<{ id: string }>;
  await m.query(`UPDATE threads SET first_post_id = $2 WHERE id = $1`, [thread.id, post.id]);
  await m.query(
    `UPDATE categories SET thread_count = thread_count + 1, post_count = post_count + 1, last_post_at = now()
      WHERE slug = 'newly-diagnosed'`,
  );
}
