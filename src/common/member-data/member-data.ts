import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What a member chose for her words when she deleted her account. */
export type ContentChoice = 'anonymise' | 'delete';
export const CONTENT_CHOICES: readonly ContentChoice[] = ['anonymise', 'delete'];

/** What every feature needs to know to forget a member, inside the deletion's one transaction. */
export interface Forgetting {
  userId: string;
  username: string;
  content: ContentChoice;
  /** The shared "Former member" account that anonymised content is moved to (it has no password). */
  formerMemberId: string;
  /** What audit entries say instead of her name: `former-member-<short hash>`. */
  pseudonym: string;
}

/** One row of her archive: plain JSON, with the id the next batch starts after. */
export type ExportRow = { id: string } & Record<string, unknown>;

/**
 * A feature's part of a member's data: what of hers goes into her archive (read in keyset batches, by the feature
 * that owns the table) and how it forgets her. Each feature that keeps rows about a member registers its part in
 * its module's `onModuleInit`; the account feature walks them all and never reads their tables itself.
 */
export interface MemberDataPart {
  /** The archive's section, e.g. `posts`; unique. */
  readonly section: string;
  /** Her rows with id after `after` (null: from the start), oldest first, at most `limit`. */
  exportBatch?(userId: string, after: string | null, limit: number): Promise<ExportRow[]>;
  /** Anonymises or removes her rows (as she chose), in the caller's transaction, before her member row goes. */
  forget?(m: EntityManager, who: Forgetting): Promise<void>;
}

@Injectable()
export class MemberDataRegistry {
  private readonly parts = new Map<string, MemberDataPart>();

  register(part: MemberDataPart): void {
    if (this.parts.has(part.section)) throw new Error(`Member data section "${part.section}" is registered twice`);
    this.parts.set(part.section, part);
  }

  all(): MemberDataPart[] {
    return [...this.parts.values()];
  }
}
