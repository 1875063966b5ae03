import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { WatchedWordsService } from './watched-words.service';

/**
 * Outside production, a fresh install watches the starter crisis phrases from its first start, as it gets its
 * starter categories: once, while no crisis phrase is on the list (an admin's removals stay removed), one process at
 * a time. In production an admin loads them with one click (WatchedWordsService.loadStarterCrisisList).
 */
@Injectable()
export class StarterCrisisPhrases implements OnApplicationBootstrap {
  private readonly logger = new Logger(StarterCrisisPhrases.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly watched: WatchedWordsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.isProduction) return;
    const added = await this.watched.seedStarterCrisisList();
    if (added > 0) this.logger.log(`seeded ${added} starter crisis phrases as watched words`);
  }
}
