import type { Rgb } from './palette';

// Bound once: inside a vm context (as under jest) every lookup of the global `Math` costs ~100x
// more (nodejs/node#49283), and these run per pixel.
const { abs, ceil, cos, floor, max, min, sin, sqrt, PI } = Math;

/** A 2D point in pixel space (x right, y down). */
export interface Vec {
  readonly x: number;
  readonly y: number;
}

/**
 * Per-pixel ink coverage (0..1) for one shape. Strokes are combined with max(), so where
 * the segments of one polyline overlap at joints the shape is not painted twice (no dark knots).
 */
export class CoverageMask {
  readonly data: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height);
  }

  clear(): void {
    this.data.fill(0);
  }

  /**
   * A round-capped line of the given half width. Coverage falls from 1 to 0 over the one
   * pixel around the edge (distance from pixel centre to the segment), which anti-aliases it.
   */
  strokeSegment(a: Vec, b: Vec, halfWidth: number): void {
    const reach = halfWidth + 0.5;
    const x0 = max(0, floor(min(a.x, b.x) - reach));
    const x1 = min(this.width - 1, ceil(max(a.x, b.x) + reach));
    const y0 = max(0, floor(min(a.y, b.y) - reach));
    const y1 = min(this.height - 1, ceil(max(a.y, b.y) + reach));
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const lengthSq = dx * dx + dy * dy;
    const reachSq = reach * reach;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5 - a.y;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5 - a.x;
        // Project the pixel centre onto the segment, clamped to its ends (giving round caps).
        const t = lengthSq > 0 ? min(1, max(0, (px * dx + py * dy) / lengthSq)) : 0;
        const ex = px - t * dx;
        const ey = py - t * dy;
        const distSq = ex * ex + ey * ey;
        if (distSq >= reachSq) continue;
        const coverage = min(1, reach - sqrt(distSq));
        const index = y * this.width + x;
        if (coverage > this.data[index]) this.data[index] = coverage;
      }
    }
  }

  strokePolyline(points: readonly Vec[], halfWidth: number): void {
    for (let i = 1; i < points.length; i++) {
      this.strokeSegment(points[i - 1], points[i], halfWidth);
    }
  }

  /** A filled anti-aliased disc (a zero-length segment). */
  dot(centre: Vec, radius: number): void {
    this.strokeSegment(centre, centre, radius);
  }
}

/** Floating-point RGB image (0..255 per channel) that shapes are blended onto. */
export class RgbCanvas {
  readonly data: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height * 3);
  }

  /** Linear gradient from `from` to `to` along the direction `angle` (radians). */
  fillGradient(from: Rgb, to: Rgb, angle: number): void {
    const ux = cos(angle);
    const uy = sin(angle);
    // Project the corners so the gradient spans exactly the image whatever the angle.
    const extent = abs(ux) * this.width + abs(uy) * this.height;
    const origin = min(0, ux * this.width) + min(0, uy * this.height);
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const t = (ux * x + uy * y - origin) / extent;
        const i = (y * this.width + x) * 3;
        this.data[i] = from[0] + (to[0] - from[0]) * t;
        this.data[i + 1] = from[1] + (to[1] - from[1]) * t;
        this.data[i + 2] = from[2] + (to[2] - from[2]) * t;
      }
    }
  }

  /** Paints `colour` wherever the mask has coverage, at most `opacity` strong. */
  blend(mask: CoverageMask, colour: Rgb, opacity = 1): void {
    const coverage = mask.data;
    for (let p = 0; p < coverage.length; p++) {
      const alpha = coverage[p] * opacity;
      if (alpha <= 0) continue;
      const i = p * 3;
      this.data[i] += (colour[0] - this.data[i]) * alpha;
      this.data[i + 1] += (colour[1] - this.data[i + 1]) * alpha;
      this.data[i + 2] += (colour[2] - this.data[i + 2]) * alpha;
    }
  }

  /** Rounded, clamped 8-bit RGB bytes for the PNG encoder. */
  toBytes(): Uint8Array {
    // A clamped array rounds and clamps on write; a plain loop is ~50x faster than Uint8Array.from(data, fn).
    const bytes = new Uint8ClampedArray(this.data.length);
    for (let i = 0; i < this.data.length; i++) bytes[i] = this.data[i];
    return new Uint8Array(bytes.buffer);
  }
}

/** Parameters of a two-axis sine warp: x shifts with y and y shifts with x. */
export interface SineWarp {
  readonly amplitudeX: number;
  readonly wavelengthX: number;
  readonly phaseX: number;
  readonly amplitudeY: number;
  readonly wavelengthY: number;
  readonly phaseY: number;
}

/**
 * Resamples the whole image through a smooth sine displacement (bilinear, edges clamped),
 * bending strokes and noise alike so no glyph keeps its exact font shape.
 */
export function warpCanvas(source: RgbCanvas, warp: SineWarp): RgbCanvas {
  const { width, height } = source;
  const target = new RgbCanvas(width, height);
  const shiftX = Float32Array.from(
    { length: height },
    (_, y) => warp.amplitudeX * sin((2 * PI * y) / warp.wavelengthX + warp.phaseX),
  );
  const shiftY = Float32Array.from(
    { length: width },
    (_, x) => warp.amplitudeY * sin((2 * PI * x) / warp.wavelengthY + warp.phaseY),
  );
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sampleBilinear(source, x + shiftX[y], y + shiftY[x], target.data, (y * width + x) * 3);
    }
  }
  return target;
}

function sampleBilinear(source: RgbCanvas, sx: number, sy: number, out: Float32Array, outIndex: number): void {
  const { width, height, data } = source;
  const cx = min(width - 1, max(0, sx));
  const cy = min(height - 1, max(0, sy));
  const x0 = floor(cx);
  const y0 = floor(cy);
  const x1 = min(width - 1, x0 + 1);
  const y1 = min(height - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const i00 = (y0 * width + x0) * 3;
  const i10 = (y0 * width + x1) * 3;
  const i01 = (y1 * width + x0) * 3;
  const i11 = (y1 * width + x1) * 3;
  for (let c = 0; c < 3; c++) {
    const top = data[i00 + c] + (data[i10 + c] - data[i00 + c]) * fx;
    const bottom = data[i01 + c] + (data[i11 + c] - data[i01 + c]) * fx;
    out[outIndex + c] = top + (bottom - top) * fy;
  }
}
