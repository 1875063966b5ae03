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
}

/**
 * A follower of new content: answers the statement that records what it needs (a data-modifying statement such as
 * queuing a job), or nothing. It is SQL, not a call, so that a write made of one statement (a reply) can carry it
 * as a CTE and commit with the content without a transaction; in a transaction it runs as a statement of its own.
 */
export type PublicationListener = (params: SqlParams, publication: PublicationInStatement) => string | undefined;

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

  /** Told inside the content's transaction: each follower's statement runs there. */
  async published(m: EntityManager, publication: Publication): Promise<void> {
    for (const listener of this.listeners) {
      const params = new SqlParams();
      const sql = listener(params, { ...publication, idSql: params.add(publication.id, 'bigint') });
      if (sql) await m.query(sql, params.values);
    }
  }

  /** The followers' statements, as data-modifying CTEs (`published_0 AS (...)`) of the content's own statement. */
  statements(params: SqlParams, publication: PublicationInStatement): string[] {
    return this.listeners.flatMap((listener, i) => {
      const sql = listener(params, publication);
      return sql ? [`published_${i} AS (${sql})`] : [];
    });
  }
}
