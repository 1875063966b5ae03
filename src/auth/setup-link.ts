import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DataSource, type EntityManager } from 'typeorm';
import { hashToken, newToken, TOKEN_PATTERN } from '../common/tokens/one-time-token';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { UserView } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import type { FirstAdminDto } from './dto/setup.dto';
import { hashPassword } from './passwords';

/** How long a setup link works: a day, time enough to read the output and open it; a new start makes a new one. */
export const SETUP_TOKEN_TTL_SECONDS = 24 * 3600;

/** One lock for issuing and using setup links, across processes (a transaction-scoped advisory lock). */
const SETUP_LOCK = 7361044;

/** What using a setup link did: made the admin, or found the link dead (used, replaced, expired, or an admin exists). */
export type SetupOutcome = { admin: UserView } | 'closed';

/**
 * The first hour of a fresh install, in production too: while no admin can sign in, every start issues a one-time
 * setup link (random, only its hash stored, a day long; the older unused ones are dropped) and prints it once. Whoever
 * opens it makes the first admin account with the sign-up's rules (username, address, a strong password hashed with
 * argon2id). Holding the link means reading the server's own output, so no captcha is asked, and the address counts
 * as confirmed: the operator may not have set up mail yet, and the admin must be able to sign in with it and read the
 * outbox (/admin/mail) at once. Once used, or once any admin exists, the link answers only "already used".
 */
@Injectable()
export class SetupLink implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Only a server issues a link: the admin CLI's app (no HTTP server) must not void the one a server printed. */
  async onApplicationBootstrap(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as import('node:http').Server | undefined;
    if (!server) return;
    const token = await this.issue();
    if (!token) return;
    server.once('listening', () => {
      // Printed as it is, whatever the log level: the one line an operator must see on a fresh install.
      console.log(`No admin account yet. Create the first one within 24 hours at ${this.linkFor(token, server)}`);
    });
  }

  /** A new setup link when no admin exists (the older unused ones stop working); undefined once one does. */
  async issue(): Promise<string | undefined> {
    if (await this.users.adminExists()) return undefined;
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [SETUP_LOCK]);
      if (await this.users.adminExists(m)) return undefined;
      const { token, hash } = newToken();
      await m.query(`DELETE FROM setup_tokens WHERE used_at IS NULL`);
      await m.query(
        `INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, now() + make_interval(secs => $2))`,
        [hash, SETUP_TOKEN_TTL_SECONDS],
      );
      return token;
    });
  }

  /** Whether this link still makes an admin (unused, unexpired, the latest, and no admin yet). */
  async isOpen(token: string): Promise<boolean> {
    if (!TOKEN_PATTERN.test(token)) return false;
    const rows = (await this.db.query(
      `SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
      [hashToken(token)],
    )) as unknown[];
    return rows.length > 0 && !(await this.users.adminExists());
  }

  /**
   * Makes the first admin, once: under the lock, the link is used and the account made in one transaction, so of two
   * people sending the form together exactly one becomes admin and the other finds the link used. A refused account
   * (a taken username) rolls back and leaves the link usable.
   */
  async createFirstAdmin(token: string, input: FirstAdminDto): Promise<SetupOutcome> {
    if (!TOKEN_PATTERN.test(token)) return 'closed';
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [SETUP_LOCK]);
      if (!(await this.use(m, token)) || (await this.users.adminExists(m))) return 'closed';
      const admin = await this.users.create(
        {
          username: input.username,
          email: input.email,
          passwordHash,
          displayName: input.displayName,
          role: 'admin',
          emailConfirmed: true,
        },
        m,
      );
      return { admin };
    });
  }

  private async use(m: EntityManager, token: string): Promise<boolean> {
    const result = (await m.query(
      `UPDATE setup_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
       RETURNING id`,
      [hashToken(token)],
    )) as [unknown[], number];
    return result[0].length > 0;
  }

  /**
   * The link to print: under PUBLIC_URL when one is set, else the address this server listens on (localhost for
   * "every interface").
   */
  private linkFor(token: string, server: import('node:http').Server): string {
    const port = (server.address() as AddressInfo | null)?.port ?? this.config.http.port;
    const configured = this.config.mail.publicUrl;
    const host = ['0.0.0.0', '::', ''].includes(this.config.http.host) ? 'localhost' : this.config.http.host;
    const base =
      configured !== `http://localhost:${this.config.http.port}`
        ? configured
        : `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return `${base}/setup/${token}`;
  }
}
