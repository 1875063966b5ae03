import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** New content that became readable by everyone: a thread (its opening post), a reply, an article comment. */
export type PublishedType = 'thread' | 'post' | 'comment';

export interface Publication {
  type: PublishedType;
  id: string;
  /**
   * False when it is published but moderators were asked to look (watched words `flag`, `crisis`): readers see it,
   * but nothing should carry it further (mail) before a moderator has.
   */
  mailable: boolean;
}

/** Told, inside the content's own transaction, that content was published (so what it queues commits with it). */
export type PublicationListener = (m: EntityManager, publication: Publication) => Promise<void>;

/**
 * Where features that follow new content (subscriptions' mail) hear of it, in the transaction that published it:
 * on creation through the gate's `record`, on a moderator's approval through the content registry. Content never
 * imports its followers; they register here while the app starts.
 */
@Injectable()
export class Publications {
  private readonly listeners: PublicationListener[] = [];

  listen(listener: PublicationListener): void {
    this.listeners.push(listener);
  }

  async published(m: EntityManager, publication: Publication): Promise<void> {
    for (const listener of this.listeners) await listener(m, publication);
  }
}
