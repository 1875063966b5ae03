import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AccountDeletionService } from './account-deletion.service';
import { AccountExportService } from './account-export.service';
import { SWEEP_MS } from './account.constants';

/**
 * Each working process looks every hour for deletions that are due (their job may have been lost) and archives
 * past their days. Both are safe to run anywhere at once: a deletion locks its request, a drop is one UPDATE.
 */
@Injectable()
export class AccountSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AccountSweep');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deletions: AccountDeletionService,
    private readonly exports: AccountExportService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.work) return;
    this.timer = setInterval(() => void this.run(), SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<void> {
    try {
      await this.deletions.sweep();
      await this.exports.dropExpired();
    } catch (err) {
      this.logger.warn(`account sweep: ${(err as Error).message}`);
    }
  }
}
