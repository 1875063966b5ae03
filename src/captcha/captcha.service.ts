import { createHash, createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { badInput, tooManyRequests } from '../common/errors/domain-error';
import { RateLimitStore } from '../common/rate-limit/rate-limit.store';
import type { CaptchaVerifier } from './captcha-verifier';
import { ChallengeStore } from './challenge-store';
import type { CaptchaAnswerDto, CaptchaKind } from './dto/captcha.dto';
import { randomCaptchaText } from './image/alphabet';
import { renderCaptchaImage } from './image/render-captcha-image';

export interface ImageChallenge {
  id: string;
  kind: 'image';
  image: string;
  width: number;
  height: number;
  expiresAt: string;
}

export interface PowChallenge {
  id: string;
  kind: 'pow';
  algorithm: string;
  challenge: string;
  salt: string;
  maxNumber: number;
  /** The same, under the name the ALTCHA widget reads. */
  maxnumber: number;
  signature: string;
  expiresAt: string;
}

/**
 * altcha-lib's v1 challenges (SHA-256(salt + number) = challenge, as the contract and the ALTCHA widget use them).
 * The package ships CommonJS for require(), but its types describe only the ESM build, which tsc will not let a
 * CommonJS file import statically; so it is required, with the one signature we use.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createChallenge } = require('altcha-lib/v1') as {
  createChallenge(options: {
    hmacKey: string;
    maxNumber: number;
    expires: Date;
    params: Record<string, string>;
  }): Promise<{ algorithm: string; challenge: string; maxnumber?: number; salt: string; signature: string }>;
};

const WRONG = 'is wrong or has expired: fetch a new one from GET /api/captcha and try again';

/** Haven's own captcha: image and proof-of-work challenges, single-use, checked on any process. */
@Injectable()
export class CaptchaService implements CaptchaVerifier, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CaptchaService.name);
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ChallengeStore,
    private readonly limits: RateLimitStore,
  ) {}

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => {
      this.store.purgeExpired().catch((err: Error) => this.logger.warn(`purging captcha challenges: ${err.message}`));
    }, 10 * 60_000);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  async issue(kind: CaptchaKind, clientIp: string): Promise<ImageChallenge | PowChallenge> {
    await this.checkIssueRate(clientIp);
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + this.config.captcha.ttlSeconds * 1000);
    if (kind === 'pow') {
      const c = await createChallenge({
        hmacKey: this.config.captcha.secret,
        maxNumber: this.config.captcha.powMaxNumber,
        expires: expiresAt,
        params: { id },
      });
      await this.store.save({ id, kind, answerHmac: this.hmac('pow', id, c.challenge), salt: c.salt, expiresAt });
      return {
        id,
        kind,
        algorithm: c.algorithm,
        challenge: c.challenge,
        salt: c.salt,
        maxNumber: c.maxnumber ?? this.config.captcha.powMaxNumber,
        maxnumber: c.maxnumber ?? this.config.captcha.powMaxNumber,
        signature: c.signature,
        expiresAt: expiresAt.toISOString(),
      };
    }
    const text = randomCaptchaText(randomInt(5, 7));
    const { png, width, height } = renderCaptchaImage(text);
    await this.store.save({ id, kind, answerHmac: this.hmac('image', id, text.toLowerCase()), salt: null, expiresAt });
    return {
      id,
      kind,
      image: `data:image/png;base64,${png.toString('base64')}`,
      width,
      height,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** Consumes the challenge whatever the answer: a wrong answer uses it up. */
  async verify(answer: CaptchaAnswerDto | undefined): Promise<{ issuedAt: Date }> {
    const { id, candidate } = this.readAnswer(answer);
    const challenge = await this.store.consume(id);
    if (!challenge) throw badInput('captcha', WRONG);
    const given =
      challenge.kind === 'image'
        ? typeof candidate.answer === 'string'
          ? normaliseImageAnswer(candidate.answer)
          : undefined
        : candidate.number !== undefined && challenge.salt !== null
          ? createHash('sha256').update(`${challenge.salt}${candidate.number}`).digest('hex')
          : undefined;
    if (given === undefined) throw badInput('captcha', WRONG);
    const expected = challenge.answerHmac;
    const actual = this.hmac(challenge.kind, id, given);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw badInput('captcha', WRONG);
    return { issuedAt: challenge.issuedAt ?? new Date() };
  }

  private readAnswer(answer: CaptchaAnswerDto | undefined): {
    id: string;
    candidate: { answer?: string; number?: number };
  } {
    if (answer?.payload !== undefined) return readAltchaPayload(answer.payload);
    if (!answer?.id) throw badInput('captcha', 'is required: send {id, answer} or {id, number}');
    if (answer.answer === undefined && answer.number === undefined) {
      throw badInput('captcha', 'needs an answer (image) or a number (proof of work)');
    }
    return { id: answer.id, candidate: { answer: answer.answer, number: answer.number } };
  }

  private async checkIssueRate(clientIp: string): Promise<void> {
    if (!this.config.rateLimits) return;
    const { count, resetSeconds } = await this.limits.hit(`captcha-issue:${clientIp}`, 60);
    if (count > this.config.captcha.issuePerMinute) {
      throw tooManyRequests(resetSeconds, 'Too many captcha challenges requested, please wait a moment');
    }
  }

  /** The stored form of an answer: bound to the challenge id and kind, keyed by CAPTCHA_SECRET. */
  private hmac(kind: 'image' | 'pow', id: string, answer: string): Buffer {
    return createHmac('sha256', this.config.captcha.secret).update(`${kind}:${id}:${answer}`).digest();
  }
}

/** People type what they see: case, spaces and dashes do not matter. */
function normaliseImageAnswer(answer: string): string {
  return answer.replace(/[\s-]+/g, '').toLowerCase();
}

/** The ALTCHA widget posts base64 JSON {algorithm, challenge, number, salt, signature}; our id rides in the salt. */
function readAltchaPayload(payload: string): { id: string; candidate: { number?: number } } {
  let parsed: { number?: unknown; salt?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as typeof parsed;
  } catch {
    throw badInput('captcha', 'payload is not a proof-of-work solution');
  }
  const salt = typeof parsed.salt === 'string' ? parsed.salt : '';
  const id = new URLSearchParams(salt.split('?')[1] ?? '').get('id');
  const number = parsed.number;
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw badInput('captcha', 'payload is not a proof-of-work solution');
  }
  return { id, candidate: { number } };
}
