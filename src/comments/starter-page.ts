import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';

/** The community's first article, so its comments and rating work on a fresh install (outside production). */
@Injectable()
export class StarterPage implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.isProduction) return;
    await this.db.query(
      `INSERT INTO pages (key, title, url, reviewer, disclaimer)
       VALUES ('breast-cancer-stage-four', 'Breast Cancer Stage Four', '/articles/breast-cancer-stage-four',
               'Reviewed by the Haven medical advisory group',
               'This article is general information, not medical advice. Talk to your care team about your own situation.')
       ON CONFLICT (key) DO NOTHING`,
    );
  }
}
