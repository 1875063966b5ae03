import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { CAPTCHA_VERIFIER, type CaptchaVerifier } from '../captcha/captcha-verifier';
import { ActiveSanctions, type SanctionColumns, toActiveSanction } from '../common/auth/active-sanctions';
import { HeaderCounts } from '../common/auth/header-counts';
import type { Principal, PrincipalResolver } from '../common/auth/principal';
import { signInRefusal } from '../common/auth/sanction-policy';
import { DomainError, unauthenticated } from '../common/errors/domain-error';
import { EVENTS } from '../common/events';
import { TypedEvents } from '../common/typed-events';
import { prepared, type PreparedStatement, queryPrepared } from '../database/prepared';
import type { UserView } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { signAccessToken, verifyAccessToken } from './access-token';
import type { LoginDto, RegisterDto } from './dto/auth.dto';
import { EmailVerification } from './email-verification';
import { accountOf, LoginThrottle } from './login-throttle';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { SessionsService } from './sessions.service';

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}
export interface AuthResult extends TokenPair {
  user: UserView;
}
/**
 * A browser's principal also carries the unread-notification count its pages show in the header: read in the same
 * query as the session (notifications live in their feature; an accepted read, listed in table-owners.spec.ts), so
 * a page view costs no extra round trip for the badge.
 */
export interface BrowserPrincipal extends Principal {
  unreadNotifications: number;
  /** Conversations with messages she has not read (registered by the conversations feature: HeaderCounts). */
  unreadConversations: number;
  /** The member's IANA time zone, if she chose one: the pages write times in it. */
  timeZone: string | null;
}

/** A browser's sign-in: the session cookie's value (the web pages keep no refresh token in the browser). */
export interface BrowserSession {
  user: UserView;
  cookie: string;
  expiresAt: Date;
}

/** One message for every failed sign-in, so nobody learns which accounts exist. */
const BAD_LOGIN = 'Wrong username, email or password';
const CAPTCHA_NEEDED =
  'There were recent failed sign-ins from your connection: please solve the captcha and sign in again';
const CAPTCHA_HINT = { captchaRequired: true } as const;
const BAD_REFRESH = 'This session has ended; please sign in again';

@Injectable()
export class AuthService implements PrincipalResolver {
  private readonly principalStatements = new Map<string, PreparedStatement>();
  /** The browser session's extra columns, with the header counts features registered while the app started. */
  private browserColumns?: string;
  private browserKey?: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    private readonly events: TypedEvents,
    @Inject(CAPTCHA_VERIFIER) private readonly captcha: CaptchaVerifier,
    private readonly sanctions: ActiveSanctions,
    private readonly headerCounts: HeaderCounts,
    private readonly sessions: SessionsService,
    private readonly verification: EmailVerification,
  ) {}

  async register(input: RegisterDto): Promise<AuthResult> {
    const user = await this.createAccount(input);
    return { user, ...(await this.openSession(user.id)) };
  }

  async login(input: LoginDto, ip: string): Promise<AuthResult> {
    const user = await this.checkCredentials(input, ip);
    if (input.timeZone) await this.users.offerTimeZone(user.id, input.timeZone);
    return { user, ...(await this.openSession(user.id)) };
  }

  /** The web pages' sign-up: the same account rules, a session kept in an http-only cookie. */
  async registerForBrowser(input: RegisterDto): Promise<BrowserSession> {
    const user = await this.createAccount(input);
    return { user, ...(await this.openBrowserSession(user.id)) };
  }

  /** The web pages' sign-in: the same checks and throttle as the API's. */
  async loginForBrowser(input: LoginDto, ip: string): Promise<BrowserSession> {
    const user = await this.checkCredentials(input, ip);
    // A member who never chose a zone is given her browser's (she can change it in her settings).
    if (input.timeZone) await this.users.offerTimeZone(user.id, input.timeZone);
    return { user, ...(await this.openBrowserSession(user.id)) };
  }

  /** Who a session cookie stands for, right now (the session row, role and sanction are read on every request). */
  async resolveBrowserSession(cookie: string): Promise<BrowserPrincipal> {
    const claims = verifyAccessToken(cookie, this.browserSecret);
    if (!claims) throw unauthenticated('Your sign-in has expired; please sign in again');
    this.browserColumns ??= BROWSER_COLUMNS + this.headerCounts.columns('u.id');
    const principal = await this.principalOf(claims.sid, claims.sub, this.browserColumns);
    return principal as BrowserPrincipal;
  }

  /** A short-lived access token for the browser's own session, for the chat socket's handshake. */
  socketToken(principal: Principal): { accessToken: string; accessTokenExpiresAt: string } {
    const access = signAccessToken(
      { sub: principal.id, sid: principal.sessionId },
      this.config.auth.jwtSecret,
      this.config.auth.accessTokenTtlSeconds,
    );
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt.toISOString() };
  }

  private async createAccount(input: RegisterDto): Promise<UserView> {
    await this.captcha.verify(input.captcha);
    // With its confirmation mail, or, when another account confirmed the address, a notice to that one's owner.
    return this.verification.createAccount({
      username: input.username,
      email: input.email,
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName,
      timeZone: input.timeZone,
    });
  }

  /**
   * The password decides, unless the sign-in brake asks first for a captcha (recent failures from this client) or
   * refuses a client that failed far too often. The same steps for a username, its email and a login naming nobody.
   */
  private async checkCredentials(input: LoginDto, ip: string): Promise<UserView> {
    const credentials = await this.users.findCredentials(input.login);
    const attempt = { account: accountOf(credentials?.id, input.login), ip };
    if ((await this.throttle.claim(attempt)) === 'captcha') {
      await this.proveHuman(input.captcha).catch(async (err: unknown) => {
        await this.throttle.withdraw(attempt);
        throw err;
      });
    }
    const ok = await verifyPassword(credentials?.passwordHash ?? (await dummyHash()), input.password);
    if (!credentials || !ok) {
      const next = await this.throttle.failed(attempt);
      throw new DomainError('unauthenticated', BAD_LOGIN, undefined, next === 'captcha' ? CAPTCHA_HINT : undefined);
    }
    await this.throttle.succeeded(attempt);
    await this.assertMaySignIn(credentials.id);
    return this.users.getUser(credentials.id);
  }

  /** 401 asking for a captcha when none came; a wrong one is the captcha verifier's 400, with the same hint. */
  private async proveHuman(captcha: LoginDto['captcha']): Promise<void> {
    if (!captcha) throw new DomainError('unauthenticated', CAPTCHA_NEEDED, undefined, CAPTCHA_HINT);
    try {
      await this.captcha.verify(captcha);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'bad_input') {
        throw new DomainError('bad_input', err.message, undefined, CAPTCHA_HINT);
      }
      throw err;
    }
  }

  /**
   * Rotation: each refresh token works once and is replaced. A token that was already used means it was copied;
   * the whole session (every token of the family) is revoked, and its access tokens die with it.
   */
  async refresh(refreshToken: string): Promise<AuthResult> {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw unauthenticated(BAD_REFRESH);
    const outcome = await this.db.transaction(async (m) => {
      const used = (await m.query(
        `UPDATE refresh_tokens rt SET used_at = now()
           FROM sessions s
          WHERE rt.id = $1 AND rt.token_hash = $2 AND rt.used_at IS NULL AND rt.expires_at > now()
            AND s.id = rt.session_id AND s.revoked_at IS NULL AND s.expires_at > now()
          RETURNING s.id AS "sessionId", s.user_id AS "userId"`,
        [parsed.id, parsed.hash],
      )) as [Array<{ sessionId: string; userId: string }>, number];
      const hit = used[0][0];
      if (hit) return { ...hit, pair: await this.rotate(m, hit.sessionId, hit.userId) };
      const reused = (await m.query(
        `UPDATE sessions s SET revoked_at = now(), revoked_reason = 'refresh_reuse'
           FROM refresh_tokens rt
          WHERE rt.id = $1 AND rt.token_hash = $2 AND rt.used_at IS NOT NULL
            AND s.id = rt.session_id AND s.revoked_at IS NULL
          RETURNING s.id AS "sessionId", s.user_id AS "userId"`,
        [parsed.id, parsed.hash],
      )) as [Array<{ sessionId: string; userId: string }>, number];
      return { reused: reused[0][0] };
    });
    if ('pair' in outcome) {
      await this.assertMaySignIn(outcome.userId);
      return { user: await this.users.getUser(outcome.userId), ...outcome.pair };
    }
    if (outcome.reused) {
      this.events.emit(EVENTS.sessionsRevoked, {
        userId: outcome.reused.userId,
        sessionIds: [outcome.reused.sessionId],
        reason: 'refresh_reuse',
      });
    }
    throw unauthenticated(BAD_REFRESH);
  }

  /** Ends the caller's session, and the one the refresh token belongs to if it is also theirs. */
  async logout(principal: Principal, refreshToken: string): Promise<void> {
    const parsed = parseRefreshToken(refreshToken);
    await this.db.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = 'logout'
        WHERE user_id = $1 AND revoked_at IS NULL
          AND (id = $2 OR id = (SELECT session_id FROM refresh_tokens WHERE id = $3 AND token_hash = $4))`,
      [principal.id, principal.sessionId, parsed?.id ?? null, parsed?.hash ?? null],
    );
    this.events.emit(EVENTS.sessionsRevoked, {
      userId: principal.id,
      sessionIds: [principal.sessionId],
      reason: 'logout',
    });
  }

  /** Signs the member out on every device at once. */
  async logoutEverywhere(principal: Principal): Promise<void> {
    await this.sessions.endAll(principal.id, { reason: 'logout_all' });
  }

  /** Called on every authenticated request (and socket handshake): is this session still open, and who is it? */
  async resolve(accessToken: string): Promise<Principal> {
    const claims = verifyAccessToken(accessToken, this.config.auth.jwtSecret);
    if (!claims) throw unauthenticated('Your sign-in has expired or is not valid; please sign in again');
    return this.principalOf(claims.sid, claims.sub);
  }

  private async principalOf(sessionId: string, userId: string, extraColumns = ''): Promise<Principal> {
    const rows = await queryPrepared<Omit<Principal, 'sessionId' | 'sanction'> & SanctionColumns>(
      this.db,
      this.principalStatement(extraColumns),
      [sessionId, userId],
    );
    const row = rows[0];
    if (!row) throw unauthenticated('This session has ended; please sign in again');
    const { sanctionKind, sanctionReason, sanctionUntil, ...principal } = row;
    return {
      ...principal,
      sessionId,
      sanction: toActiveSanction({ sanctionKind, sanctionReason, sanctionUntil }),
    };
  }

  /** The session-and-member read of every signed-in request: prepared, since it runs more than any other. */
  private principalStatement(extraColumns: string): PreparedStatement {
    let statement = this.principalStatements.get(extraColumns);
    if (!statement) {
      const active = this.sanctions.sql('u.id');
      statement = prepared(
        `SELECT u.id, u.username, u.display_name AS "displayName", u.role, ${active.columns}${extraColumns}
           FROM sessions s JOIN users u ON u.id = s.user_id ${active.join}
          WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`,
      );
      this.principalStatements.set(extraColumns, statement);
    }
    return statement;
  }

  /** A banned or suspended member gets no new tokens (moderation's sanction reader, in the same query). */
  private async assertMaySignIn(userId: string): Promise<void> {
    const active = this.sanctions.sql('u.id');
    const rows = (await this.db.query(`SELECT ${active.columns} FROM users u ${active.join} WHERE u.id = $1`, [
      userId,
    ])) as SanctionColumns[];
    const refusal = signInRefusal(toActiveSanction(rows[0]));
    if (refusal) throw refusal;
  }

  /**
   * A browser session: the same session row as the API's (so sign-out everywhere, sanctions and revocation reach
   * it), proven by a signed cookie that names it. It lives as long as a refresh token would; the row is checked on
   * every request, so it dies at once when revoked.
   */
  private async openBrowserSession(userId: string): Promise<{ cookie: string; expiresAt: Date }> {
    const rows = (await this.db.query(
      `INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + make_interval(days => $2)) RETURNING id`,
      [userId, this.config.auth.refreshTokenTtlDays],
    )) as Array<{ id: string }>;
    const signed = signAccessToken(
      { sub: userId, sid: rows[0].id },
      this.browserSecret,
      this.config.auth.refreshTokenTtlDays * 86_400,
    );
    return { cookie: signed.token, expiresAt: signed.expiresAt };
  }

  /**
   * Cookies are signed with their own key, so a cookie is never accepted as a bearer token nor the reverse. Derived
   * once: every page a member opens checks her cookie with it.
   */
  private get browserSecret(): string {
    return (this.browserKey ??= createHmac('sha256', this.config.auth.jwtSecret)
      .update('haven:browser-session')
      .digest('base64url'));
  }

  private async openSession(userId: string): Promise<TokenPair> {
    return this.db.transaction(async (m) => {
      const rows = (await m.query(
        `INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + make_interval(days => $2)) RETURNING id`,
        [userId, this.config.auth.refreshTokenTtlDays],
      )) as Array<{ id: string }>;
      return this.rotate(m, rows[0].id, userId);
    });
  }

  /** A new refresh token in the session (which lives on while it is used) and a new access token. */
  private async rotate(m: EntityManager, sessionId: string, userId: string): Promise<TokenPair> {
    const secret = randomBytes(32).toString('base64url');
    const days = this.config.auth.refreshTokenTtlDays;
    const rows = (await m.query(
      `INSERT INTO refresh_tokens (session_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(days => $3)) RETURNING id`,
      [sessionId, sha256(secret), days],
    )) as Array<{ id: string }>;
    await m.query(`UPDATE sessions SET expires_at = now() + make_interval(days => $2) WHERE id = $1`, [
      sessionId,
      days,
    ]);
    const access = signAccessToken(
      { sub: userId, sid: sessionId },
      this.config.auth.jwtSecret,
      this.config.auth.accessTokenTtlSeconds,
    );
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: `${rows[0].id}.${secret}`,
    };
  }
}

const BROWSER_COLUMNS = `, (SELECT count(*)::int FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS "unreadNotifications", u.time_zone AS "timeZone"`;

function parseRefreshToken(token: string): { id: string; hash: Buffer } | undefined {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { id: match[1], hash: sha256(match[2]) } : undefined;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
