import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { PagesService, type Rating } from '../pages/pages.service';

/** One rating per member per page, changeable; the page shows the exact average and count. */
@Injectable()
export class RatingsService {
  constructor(
    private readonly db: DataSource,
    private readonly pages: PagesService,
  ) {}

  async rate(member: Principal, key: string, stars: number): Promise<Rating> {
    const pageId = await this.pages.idOf(key);
    await this.db.query(
      `INSERT INTO page_ratings (page_id, user_id, stars) VALUES ($1, $2, $3)
       ON CONFLICT (page_id, user_id) DO UPDATE SET stars = EXCLUDED.stars, updated_at = now()`,
      [pageId, member.id, stars],
    );
    return (await this.pages.get(key, member)).rating;
  }
}
