import type { RandomSource } from './random-source';

export type Rgb = readonly [r: number, g: number, b: number];

/** Colours for one captcha: a light two-stop background and a dark ink. */
export interface CaptchaPalette {
  readonly backgroundFrom: Rgb;
  readonly backgroundTo: Rgb;
  readonly ink: Rgb;
}

/** WCAG AA for normal text; the channel ranges below guarantee it (>= 5.9:1 worst case). */
export const MIN_CONTRAST = 4.5;

// Background channels stay in 222..255 and ink channels in 10..80, whatever the hue, so
// the worst pairing is grey 222 on grey 80: (0.730 + 0.05) / (0.080 + 0.05) ≈ 6.0.
const BACKGROUND_MIN = 222;
const INK_MIN = 10;
const INK_MAX = 80;

function srgbToLinear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of an sRGB colour. */
export function relativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * srgbToLinear(r) + 0.7152 * srgbToLinear(g) + 0.0722 * srgbToLinear(b);
}

/** WCAG contrast ratio between two colours (1..21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function lightColour(random: RandomSource): Rgb {
  return [
    random.intBetween(BACKGROUND_MIN, 255),
    random.intBetween(BACKGROUND_MIN, 255),
    random.intBetween(BACKGROUND_MIN, 255),
  ];
}

function darkColour(random: RandomSource): Rgb {
  return [
    random.intBetween(INK_MIN, INK_MAX),
    random.intBetween(INK_MIN, INK_MAX),
    random.intBetween(INK_MIN, INK_MAX),
  ];
}

/** A random palette whose ink meets MIN_CONTRAST against every background shade. */
export function randomPalette(random: RandomSource): CaptchaPalette {
  return { backgroundFrom: lightColour(random), backgroundTo: lightColour(random), ink: darkColour(random) };
}

/** `colour` moved `amount` (0..1) of the way towards `target`. */
export function mix(colour: Rgb, target: Rgb, amount: number): Rgb {
  return [
    colour[0] + (target[0] - colour[0]) * amount,
    colour[1] + (target[1] - colour[1]) * amount,
    colour[2] + (target[2] - colour[2]) * amount,
  ];
}
