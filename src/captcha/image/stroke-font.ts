/**
 * A small hand-made stroke font: each glyph is a few polylines on a grid of
 * x 0..GLYPH_WIDTH, y 0..GLYPH_HEIGHT (y grows downwards), drawn like plain sans-serif capitals.
 * Strokes rather than outlines so the renderer can vary thickness and distort them freely.
 */
export type Point = readonly [x: number, y: number];
export type Stroke = readonly Point[];
export type Glyph = readonly Stroke[];

export const GLYPH_WIDTH = 10;
export const GLYPH_HEIGHT = 14;

const DEGREES = Math.PI / 180;

/**
 * Points along an elliptical arc, angles in degrees with 0 = right and 90 = up (as on paper);
 * the sweep may go either way. About one point per 10° keeps curves smooth at captcha sizes.
 */
function arc(cx: number, cy: number, rx: number, ry: number, fromDeg: number, toDeg: number): Point[] {
  const steps = Math.max(2, Math.ceil(Math.abs(toDeg - fromDeg) / 10));
  const points: Point[] = [];
  for (let i = 0; i <= steps; i++) {
    const angle = (fromDeg + ((toDeg - fromDeg) * i) / steps) * DEGREES;
    points.push([round2(cx + rx * Math.cos(angle)), round2(cy - ry * Math.sin(angle))]);
  }
  return points;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Point-symmetric copy (turned 180°), used to derive 9 from 6 so the two share one shape. */
function turnHalf(glyph: Glyph): Glyph {
  return glyph.map((stroke) => stroke.map(([x, y]): Point => [GLYPH_WIDTH - x, GLYPH_HEIGHT - y]));
}

// 6: a round bowl at the bottom and a long curved stem sweeping in from the top right.
const SIX: Glyph = [arc(5, 9.5, 5, 4.5, 0, 360), arc(9.5, 9.5, 9.5, 9.2, 98, 180)];

// One glyph per line group, points kept inline so each shape can be read at a glance.
// prettier-ignore
const FONT: Readonly<Record<string, Glyph>> = {
  A: [
    [[0, 14], [5, 0], [10, 14]],
    [[1.9, 9], [8.1, 9]],
  ],
  C: [arc(5.5, 7, 5.2, 7, 45, 315)],
  D: [[[0, 0], [0, 14]], [[0, 0], [3, 0], ...arc(3, 7, 7, 7, 90, -90), [0, 14]]],
  E: [
    [[10, 0], [0, 0], [0, 14], [10, 14]],
    [[0, 7], [7.5, 7]],
  ],
  F: [
    [[10, 0], [0, 0], [0, 14]],
    [[0, 7], [7.5, 7]],
  ],
  H: [
    [[0, 0], [0, 14]],
    [[10, 0], [10, 14]],
    [[0, 7], [10, 7]],
  ],
  J: [[[3, 0], [10, 0]], [[8, 0], ...arc(4, 10, 4, 4, 0, -180), [0, 8.5]]],
  K: [
    [[0, 0], [0, 14]],
    [[10, 0], [0, 9]],
    [[3.3, 6], [10, 14]],
  ],
  M: [[[0, 14], [0, 0], [5, 9], [10, 0], [10, 14]]],
  N: [[[0, 14], [0, 0], [10, 14], [10, 0]]],
  P: [[[0, 14], [0, 0], [6, 0], ...arc(6, 3.75, 4, 3.75, 90, -90), [0, 7.5]]],
  R: [
    [[0, 14], [0, 0], [6, 0], ...arc(6, 3.75, 4, 3.75, 90, -90), [0, 7.5]],
    [[5, 7.5], [10, 14]],
  ],
  T: [
    [[0, 0], [10, 0]],
    [[5, 0], [5, 14]],
  ],
  W: [[[0, 0], [2.5, 14], [5, 4], [7.5, 14], [10, 0]]],
  X: [
    [[0, 0], [10, 14]],
    [[10, 0], [0, 14]],
  ],
  Y: [
    [[0, 0], [5, 7], [10, 0]],
    [[5, 7], [5, 14]],
  ],
  '3': [[...arc(5, 3.5, 4.4, 3.5, 155, -90), ...arc(5, 10.5, 5, 3.5, 90, -155).slice(1)]],
  // Open-topped 4 (stem apart from the diagonal) so a tilted 4 can't pass for an A.
  '4': [
    [[5.5, 0], [0, 9.5], [10, 9.5]],
    [[7.5, 4], [7.5, 14]],
  ],
  '6': SIX,
  '7': [[[0, 0], [10, 0], [3.5, 14]]],
  '9': turnHalf(SIX),
};

/** The strokes for `char`, or undefined when the font has no such glyph. */
export function glyphFor(char: string): Glyph | undefined {
  return Object.prototype.hasOwnProperty.call(FONT, char) ? FONT[char] : undefined;
}

/** Every character the font can draw. */
export const FONT_CHARACTERS: string = Object.keys(FONT).join('');
