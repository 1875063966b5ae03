import { Injectable } from '@nestjs/common';
import { type RoomRestriction, RoomsService } from '../../chat/rooms/rooms.service';
import type { Page, PageQueryDto } from '../../common/pagination';
import type { QueueSummary } from '../../moderation/queue/queue-reader';
import { QueueService } from '../../moderation/queue/queue.service';
import { type ActiveSanctionEntry, SanctionsService } from '../../moderation/sanctions/sanctions.service';
import { type WatchedWordEntry, WatchedWordsService } from '../../moderation/watched-words/watched-words.service';

export type { RoomRestriction };

/**
 * The lists the moderators' pages show beside the API's: the queue's counts, every active sanction with who issued
 * it, the watched words with who added them, and the rooms' live mutes and kicks. Each is asked of the feature that
 * owns the tables (moderation's queue, sanctions and watched words; chat's rooms); nothing is queried here.
 */
@Injectable()
export class ModerationReads {
  constructor(
    private readonly queue: QueueService,
    private readonly sanctions: SanctionsService,
    private readonly words: WatchedWordsService,
    private readonly rooms: RoomsService,
  ) {}

  queueSummary(): Promise<QueueSummary> {
    return this.queue.summary();
  }

  activeSanctions(query: PageQueryDto): Promise<Page<ActiveSanctionEntry>> {
    return this.sanctions.listActive(query);
  }

  watchedWords(): Promise<WatchedWordEntry[]> {
    return this.words.listWithAuthors();
  }

  roomRestrictions(slug?: string): Promise<RoomRestriction[]> {
    return this.rooms.restrictions(slug);
  }
}
