import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { conflictIfTaken } from '../../common/errors/unique-violation';
import { EVENTS } from '../../common/events';
import { TypedEvents } from '../../common/typed-events';
import { type CategoryView, iso } from '../forum-views';
import { CategoryEntity } from './category.entity';
import type { CreateCategoryDto, UpdateCategoryDto } from './dto/category.dto';

const SELECT = `SELECT id, slug, name, description, thread_count AS "threadCount", post_count AS "postCount",
  last_post_at AS "lastPostAt", approval FROM categories`;

@Injectable()
export class CategoriesService {
  constructor(
    private readonly db: DataSource,
    private readonly events: TypedEvents,
  ) {}

  async list(): Promise<CategoryView[]> {
    const rows = (await this.db.query(`${SELECT} ORDER BY position, id`)) as Row[];
    return rows.map(view);
  }

  async get(slug: string): Promise<CategoryView> {
    const rows = (await this.db.query(`${SELECT} WHERE slug = $1`, [slug])) as Row[];
    if (!rows[0]) throw notFound('Category');
    return view(rows[0]);
  }

  async create(admin: Principal, input: CreateCategoryDto): Promise<CategoryView> {
    const repo = this.db.getRepository(CategoryEntity);
    try {
      await repo.insert({
        slug: input.slug,
        name: input.name,
        description: input.description ?? '',
        approval: input.approval ?? 'new_members',
        position: input.position ?? 0,
      });
    } catch (err) {
      throw conflictIfTaken(err, 'slug is already used by another category');
    }
    this.audit(admin, 'create', input.slug);
    return this.get(input.slug);
  }

  async update(admin: Principal, slug: string, changes: UpdateCategoryDto): Promise<CategoryView> {
    const repo = this.db.getRepository(CategoryEntity);
    const patch = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (Object.keys(patch).length > 0) {
      const result = await repo.update({ slug }, patch);
      if (!result.affected) throw notFound('Category');
    } else {
      await this.get(slug);
    }
    this.audit(admin, 'update', slug, JSON.stringify(patch));
    return this.get(slug);
  }

  private audit(admin: Principal, action: string, slug: string, note?: string): void {
    this.events.emit(EVENTS.contentModerated, {
      actorId: admin.id,
      action,
      targetType: 'category',
      targetId: slug,
      note,
    });
  }
}

type Row = Omit<CategoryView, 'lastPostAt'> & { lastPostAt: Date | null };
const view = (r: Row): CategoryView => ({ ...r, lastPostAt: iso(r.lastPostAt) });
