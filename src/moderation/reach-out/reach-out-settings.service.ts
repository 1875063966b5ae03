import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import { DEFAULT_STARTER_TEXT } from './starter-text';

export interface ReachOutSettings {
  starterText: string;
  custom: boolean;
  updatedAt: string | null;
  defaultText: string;
}

/** The starter text of care conversations: the default until an admin writes her own (one row, audited). */
@Injectable()
export class ReachOutSettingsService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<ReachOutSettings> {
    const [row] = (await this.db.query(
      `SELECT starter_text AS "starterText", updated_at AS "updatedAt" FROM reach_out_settings WHERE id = 1`,
    )) as Array<{ starterText: string; updatedAt: Date }>;
    if (!row) {
      return {
        starterText: DEFAULT_STARTER_TEXT,
        custom: false,
        updatedAt: null,
        defaultText: DEFAULT_STARTER_TEXT,
      };
    }
    return { ...row, custom: true, updatedAt: row.updatedAt.toISOString(), defaultText: DEFAULT_STARTER_TEXT };
  }

  async starterText(): Promise<string> {
    return (await this.get()).starterText;
  }

  /** Sets the starter text; the audit log keeps who changed it (the page links there), when, and its opening words. */
  async update(admin: Principal, starterText: string): Promise<ReachOutSettings> {
    await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO reach_out_settings (id, starter_text, updated_by) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET starter_text = EXCLUDED.starter_text, updated_by = EXCLUDED.updated_by,
                                        updated_at = now()`,
        [starterText, admin.id],
      );
      await this.audit.record(
        {
          actorId: admin.id,
          action: 'reach_out.starter_text',
          targetType: 'setting',
          targetId: 'reach_out_starter_text',
          details: { excerpt: plainTextExcerpt(starterText, 120) },
        },
        m,
      );
    });
    return this.get();
  }
}
