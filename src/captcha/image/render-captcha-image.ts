import { encodePng } from './png';
import { type CaptchaPalette, mix, randomPalette, type Rgb } from './palette';
import { RandomSource } from './random-source';
import { CoverageMask, RgbCanvas, type SineWarp, type Vec, warpCanvas } from './raster';
import { GLYPH_HEIGHT, GLYPH_WIDTH, type Glyph, glyphFor } from './stroke-font';

// Bound once: inside a vm context (as under jest) every lookup of the global `Math` costs ~100x more
// (nodejs/node#49283), which matters in the per-row layout loops.
const { ceil, cos, floor, hypot, max, min, round, sin, PI } = Math;

export interface CaptchaImage {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Default canvas; wide enough for 6 characters, longer texts widen it rather than shrink the glyphs. */
export const CAPTCHA_IMAGE_WIDTH = 240;
export const CAPTCHA_IMAGE_HEIGHT = 80;

const MARGIN = 10;
/** Canvas width per character once a text no longer fits the default width (about 7+ characters). */
const WIDTH_PER_CHAR = 36;
/** Glyph height before per-glyph scaling: a bit over half the image so rotation and offsets stay inside. */
const GLYPH_HEIGHT_PX = 44;
const UNIT = GLYPH_HEIGHT_PX / GLYPH_HEIGHT;
/** Keeps ink this far from the top/bottom edge so the warp (<= 4.5 px) never pushes it out. */
const VERTICAL_CLEARANCE = 7;

const MAX_ROTATION = (25 * PI) / 180;
/** Share of a glyph's width its bounding box may slide under the previous glyphs'. */
const MAX_BOX_OVERLAP = 0.15;
const NOISE_CURVES_BEHIND = 1;
const NOISE_CURVES_IN_FRONT = 2;
const NOISE_CURVE_POINTS = 40;

/** One glyph deformed at random, in pixels around its own centre, before it is put on the line. */
interface ShapedGlyph {
  readonly strokes: Vec[][];
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
  readonly halfWidth: number;
  /** Closest row-by-row ink distance to the next glyph: random, so the kerning is never regular. */
  readonly gap: number;
  readonly offsetY: number;
}

/**
 * Renders `text` as a distorted raster captcha (PNG). Every glyph gets its own rotation,
 * scale, shear, offset and stroke weight; thin noise curves in a similar colour cross the text;
 * the whole picture is sine-warped and speckled. Dark ink on a light background keeps the
 * contrast at WCAG AA (>= 4.5:1) so people can read it, and since the answer only exists as
 * pixels it cannot be read back from the markup.
 */
export function renderCaptchaImage(text: string): CaptchaImage {
  const glyphs = glyphsFor(text);
  const random = new RandomSource();
  const width = max(CAPTCHA_IMAGE_WIDTH, ceil(glyphs.length * WIDTH_PER_CHAR + 2 * MARGIN));
  const height = CAPTCHA_IMAGE_HEIGHT;
  const palette = randomPalette(random);

  const canvas = new RgbCanvas(width, height);
  canvas.fillGradient(palette.backgroundFrom, palette.backgroundTo, random.between(0, 2 * PI));
  const mask = new CoverageMask(width, height);

  drawNoiseCurves(canvas, mask, palette, random, NOISE_CURVES_BEHIND);
  drawText(canvas, mask, glyphs, palette.ink, random);
  drawNoiseCurves(canvas, mask, palette, random, NOISE_CURVES_IN_FRONT);
  const warped = warpCanvas(canvas, randomWarp(random));
  drawSpeckles(warped, mask, palette, random);

  return { png: encodePng(width, height, warped.toBytes()), width, height };
}

function glyphsFor(text: string): Glyph[] {
  if (text.length === 0) throw new RangeError('captcha text must not be empty');
  return Array.from(text, (char) => {
    const glyph = glyphFor(char);
    if (!glyph) throw new RangeError(`captcha font has no glyph for ${JSON.stringify(char)}`);
    return glyph;
  });
}

/**
 * Random rotation, scale, condensing and shear for one glyph, applied to its strokes around the
 * glyph centre; the resulting extents let the layout space glyphs by their real rotated size.
 */
function shapeGlyph(glyph: Glyph, random: RandomSource): ShapedGlyph {
  const rotation = random.between(-MAX_ROTATION, MAX_ROTATION);
  const scaleY = random.between(0.9, 1.08) * UNIT;
  const scaleX = scaleY * random.between(0.8, 0.95); // slightly condensed: more room between glyphs
  const shear = random.between(-0.12, 0.12); // on top of the rotation, so kept small
  const cosR = cos(rotation);
  const sinR = sin(rotation);
  const strokes = glyph.map((stroke) =>
    stroke.map(([gx, gy]): Vec => {
      const v = (gy - GLYPH_HEIGHT / 2) * scaleY;
      const u = (gx - GLYPH_WIDTH / 2) * scaleX + shear * v;
      return { x: u * cosR - v * sinR, y: u * sinR + v * cosR };
    }),
  );
  const points = strokes.flat();
  return {
    strokes,
    minX: min(...points.map((p) => p.x)),
    maxX: max(...points.map((p) => p.x)),
    minY: min(...points.map((p) => p.y)),
    maxY: max(...points.map((p) => p.y)),
    // 4..5 px strokes: bold enough to survive the warp and the noise.
    halfWidth: random.between(2, 2.5),
    gap: random.between(3, 7),
    offsetY: random.between(-6, 6),
  };
}

/** Shrinks a glyph's geometry (not its stroke weight) by `factor`, used when the line is too wide. */
function shrinkGlyph(shaped: ShapedGlyph, factor: number): ShapedGlyph {
  return {
    ...shaped,
    strokes: shaped.strokes.map((stroke) => stroke.map((p) => ({ x: p.x * factor, y: p.y * factor }))),
    minX: shaped.minX * factor,
    maxX: shaped.maxX * factor,
    minY: shaped.minY * factor,
    maxY: shaped.maxY * factor,
  };
}

/** Vertical centre for a glyph: its random offset, clamped so no ink comes near the top or bottom. */
function glyphCentreY(shaped: ShapedGlyph, height: number): number {
  const lowest = VERTICAL_CLEARANCE + shaped.halfWidth - shaped.minY;
  const highest = height - VERTICAL_CLEARANCE - shaped.halfWidth - shaped.maxY;
  if (lowest > highest) return (lowest + highest) / 2;
  return min(highest, max(lowest, height / 2 + shaped.offsetY));
}

/** Leftmost and rightmost ink per image row, relative to the glyph centre (±Infinity where empty). */
interface InkProfile {
  readonly left: Float64Array;
  readonly right: Float64Array;
}

/** Walks every stroke in ~1 px steps and widens the rows each step's round pen tip touches. */
function inkProfile(glyph: ShapedGlyph, centreY: number, height: number): InkProfile {
  const left = new Float64Array(height).fill(Infinity);
  const right = new Float64Array(height).fill(-Infinity);
  const mark = (x: number, y: number): void => {
    const top = max(0, floor(centreY + y - glyph.halfWidth));
    const bottom = min(height - 1, floor(centreY + y + glyph.halfWidth));
    for (let row = top; row <= bottom; row++) {
      left[row] = min(left[row], x - glyph.halfWidth);
      right[row] = max(right[row], x + glyph.halfWidth);
    }
  };
  for (const stroke of glyph.strokes) {
    for (let i = 1; i < stroke.length; i++) {
      const a = stroke[i - 1];
      const b = stroke[i];
      const steps = max(1, ceil(hypot(b.x - a.x, b.y - a.y)));
      for (let s = 0; s <= steps; s++) {
        mark(a.x + ((b.x - a.x) * s) / steps, a.y + ((b.y - a.y) * s) / steps);
      }
    }
  }
  return { left, right };
}

interface LineLayout {
  readonly centres: Vec[];
  readonly inkLeft: number;
  readonly inkRight: number;
}

/**
 * Places glyphs left to right so that, row by row, each one's ink sits at least `gap` px from the
 * ink already laid down (optical kerning): spacing looks even whatever the rotation, and tilted
 * neighbours tuck into each other's bounding boxes instead of sitting on a regular grid.
 */
function layoutLine(shaped: readonly ShapedGlyph[], height: number): LineLayout {
  const placedRight = new Float64Array(height).fill(-Infinity);
  const centres: Vec[] = [];
  let inkLeft = Infinity;
  let inkRight = -Infinity;
  let previousGap = 0;
  for (const glyph of shaped) {
    const centreY = glyphCentreY(glyph, height);
    const profile = inkProfile(glyph, centreY, height);
    let x = 0;
    if (centres.length > 0) {
      // Fallback for glyphs sharing no rows: butt their bounding boxes.
      let push = inkRight - (glyph.minX - glyph.halfWidth);
      let sharesRow = false;
      for (let row = 0; row < height; row++) {
        if (placedRight[row] === -Infinity || profile.left[row] === Infinity) continue;
        push = sharesRow ? max(push, placedRight[row] - profile.left[row]) : placedRight[row] - profile.left[row];
        sharesRow = true;
      }
      // Diagonal neighbours (A then 4, X then Y) could slide deep into each other row by row;
      // keep their bounding boxes from overlapping by more than MAX_BOX_OVERLAP of the new glyph.
      const boxPush = inkRight - (glyph.minX - glyph.halfWidth) - MAX_BOX_OVERLAP * (glyph.maxX - glyph.minX);
      x = max(push + previousGap, boxPush);
    }
    for (let row = 0; row < height; row++) {
      placedRight[row] = max(placedRight[row], x + profile.right[row]);
    }
    centres.push({ x, y: centreY });
    inkLeft = min(inkLeft, x + glyph.minX - glyph.halfWidth);
    inkRight = max(inkRight, x + glyph.maxX + glyph.halfWidth);
    previousGap = glyph.gap;
  }
  return { centres, inkLeft, inkRight };
}

/** Lays the line out, shrinking glyph geometry until it fits the canvas, then strokes each glyph. */
function drawText(
  canvas: RgbCanvas,
  mask: CoverageMask,
  glyphs: readonly Glyph[],
  ink: Rgb,
  random: RandomSource,
): void {
  let shaped = glyphs.map((glyph) => shapeGlyph(glyph, random));
  const available = canvas.width - 2 * MARGIN;
  let layout = layoutLine(shaped, canvas.height);
  // Strokes and gaps don't shrink with the geometry, so aim a little low; converges in 1-2 rounds.
  for (let attempt = 0; attempt < 4 && layout.inkRight - layout.inkLeft > available; attempt++) {
    const factor = (available / (layout.inkRight - layout.inkLeft)) * 0.98;
    shaped = shaped.map((g) => shrinkGlyph(g, factor));
    layout = layoutLine(shaped, canvas.height);
  }
  const shiftX = (canvas.width - (layout.inkRight - layout.inkLeft)) / 2 - layout.inkLeft;
  shaped.forEach((glyph, i) => {
    const centre = layout.centres[i];
    mask.clear();
    for (const stroke of glyph.strokes) {
      mask.strokePolyline(
        stroke.map((p) => ({ x: centre.x + shiftX + p.x, y: centre.y + p.y })),
        glyph.halfWidth,
      );
    }
    canvas.blend(mask, ink);
  });
}

/**
 * Thin cubic curves running across the whole text band in a colour close to the ink, so
 * colour or connected-component tricks can't separate them from glyphs; thinner and slightly
 * lighter than the 4-5 px glyph strokes so people still see the letters.
 */
function drawNoiseCurves(
  canvas: RgbCanvas,
  mask: CoverageMask,
  palette: CaptchaPalette,
  random: RandomSource,
  count: number,
): void {
  const band = (): number => random.between(canvas.height * 0.25, canvas.height * 0.75);
  for (let n = 0; n < count; n++) {
    const controls: Vec[] = [
      { x: -5, y: band() },
      { x: canvas.width * random.between(0.2, 0.45), y: random.between(0, canvas.height) },
      { x: canvas.width * random.between(0.55, 0.8), y: random.between(0, canvas.height) },
      { x: canvas.width + 5, y: band() },
    ];
    mask.clear();
    mask.strokePolyline(sampleCubic(controls, NOISE_CURVE_POINTS), random.between(0.55, 1));
    canvas.blend(mask, mix(palette.ink, palette.backgroundFrom, random.between(0.1, 0.35)), 0.9);
  }
}

function sampleCubic([p0, p1, p2, p3]: readonly Vec[], points: number): Vec[] {
  const samples: Vec[] = [];
  for (let i = 0; i <= points; i++) {
    const t = i / points;
    const s = 1 - t;
    const a = s * s * s;
    const b = 3 * s * s * t;
    const c = 3 * s * t * t;
    const d = t * t * t;
    samples.push({ x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y });
  }
  return samples;
}

/** A gentle wave: a few pixels of displacement over wavelengths longer than a glyph. */
function randomWarp(random: RandomSource): SineWarp {
  return {
    amplitudeX: random.between(1, 2.5),
    wavelengthX: random.between(45, 80),
    phaseX: random.between(0, 2 * PI),
    amplitudeY: random.between(2.5, 4.5) * random.sign(),
    wavelengthY: random.between(100, 170),
    phaseY: random.between(0, 2 * PI),
  };
}

/** Dark dots all over plus a few light ones that nick the strokes; both too small to hide a glyph. */
function drawSpeckles(canvas: RgbCanvas, mask: CoverageMask, palette: CaptchaPalette, random: RandomSource): void {
  const area = canvas.width * canvas.height;
  scatterDots(mask, random, round(area / 180), 0.5, 1.3);
  canvas.blend(mask, mix(palette.ink, palette.backgroundTo, 0.2), 0.75);
  scatterDots(mask, random, round(area / 600), 0.5, 0.9);
  canvas.blend(mask, palette.backgroundFrom, 0.8);
}

function scatterDots(
  mask: CoverageMask,
  random: RandomSource,
  count: number,
  minRadius: number,
  maxRadius: number,
): void {
  mask.clear();
  for (let i = 0; i < count; i++) {
    mask.dot(
      { x: random.between(0, mask.width), y: random.between(0, mask.height) },
      random.between(minRadius, maxRadius),
    );
  }
}
