import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlParams } from '../common/sql/sql-params';

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

/** A publication inside the statement that writes the content: its id is a SQL expression there (`$1::bigint`, or
 * `(SELECT id FROM post)` when the same statement inserts it). */
export interface PublicationInStatement extends Omit<Publication, 'id'> {
  idSql: string;
  /**
   * Where it appeared, when the writer knows it without reading the row it is writing (a reply: its thread), as a
   * SQL expression like the id. A statement cannot read rows its own CTEs insert, so followers that need the place
   * of a reply use this; without it they must look it up later (a job).
   */
  place?: { type: 'thread'; idSql: string };
}

/**
 * A follower of new content: answers the statements that record what it needs (data-modifying statements such as
 * queuing a job), or none. They are SQL, not a call, so that a write made of one statement (a reply) can carry them
 * as CTEs and commit with the content without a transaction; in a transaction they run together as one statement.
 */
export type PublicationListener = (params: SqlParams, publication: PublicationInStatement) => string[];

/**
 * Where features that follow new content (subscriptions' mail) hear of it, in the write that published it: on
 * creation through the gate (`record`, or `publicationSql` inside the content's own statement), on a moderator's
 * approval through the content registry. Content never imports its followers; they register here while the app
 * starts.
 */
@Injectable()
export class Publications {
  private readonly listeners: PublicationListener[] = [];

  listen(listener: PublicationListener): void {
    this.listeners.push(listener);
  }

  /** Told inside the content's transaction: the followers' statements run there, together as one. */
  async published(m: EntityManager, publication: Publication): Promise<void> {
    const params = new SqlParams();
    const ctes = this.statements(params, { ...publication, idSql: params.add(publication.id, 'bigint') });
    if (ctes.length > 0) await m.query(`WITH ${ctes.join(',\n')} SELECT 1`, params.values);
  }

  /** The followers' statements, as data-modifying CTEs (`published_0_0 AS (...)`) of the content's own statement. */
  statements(params: SqlParams, publication: PublicationInStatement): string[] {
    return this.listeners.flatMap((listener, i) =>
      listener(params, publication).map((sql, j) => `published_${i}_${j} AS (${sql})`),
    );
  }
}
