import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';

/** A stamp older than this says nothing about how fast a form was filled in (it is ignored, not refused). */
const MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * When a comment form was shown: a time signed when the page with the form rendered (a hidden field), so the "sent
 * too fast" spam signal measures from the form, not from the captcha (the proof-of-work widget fetches its
 * challenge when the box is ticked). Keyed with the comments' own secret, under a purpose of its own.
 */
@Injectable()
export class CommentFormStamps {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** A stamp for a form shown now: `<ms>.<hmac>`. */
  issue(): string {
    const at = String(this.clock.now());
    return `${at}.${this.sign(at)}`;
  }

  /** When the form was shown, if `stamp` is ours, not from the future and not stale; otherwise undefined. */
  shownAt(stamp: string | undefined): number | undefined {
    const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(stamp ?? '');
    if (!match) return undefined;
    const expected = Buffer.from(this.sign(match[1]));
    const given = Buffer.from(match[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const at = Number(match[1]);
    const age = this.clock.now() - at;
    return age >= 0 && age <= MAX_AGE_MS ? at : undefined;
  }

  private sign(at: string): string {
    return createHmac('sha256', this.config.comments.ipHashSecret)
      .update(`comment-form-shown:${at}`)
      .digest('base64url');
  }
}
