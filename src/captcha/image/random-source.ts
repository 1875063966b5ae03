import { randomBytes } from 'node:crypto';

const POOL_BYTES = 1024;
const UINT32_RANGE = 0x1_0000_0000;

/**
 * Uniform random numbers for the drawing jitter, read from crypto.randomBytes in pooled blocks:
 * a CSPRNG so the distortion can't be predicted, pooled so a render costs a couple of syscalls
 * instead of hundreds of crypto.randomInt calls.
 */
export class RandomSource {
  private pool: Buffer = randomBytes(POOL_BYTES);
  private offset = 0;

  /** Uniform in [0, 1). */
  next(): number {
    if (this.offset + 4 > this.pool.length) {
      this.pool = randomBytes(POOL_BYTES);
      this.offset = 0;
    }
    const value = this.pool.readUInt32LE(this.offset);
    this.offset += 4;
    return value / UINT32_RANGE;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max] inclusive; the 2^-32 bias is irrelevant for drawing jitter. */
  intBetween(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** -1 or +1. */
  sign(): number {
    return this.next() < 0.5 ? -1 : 1;
  }
}
