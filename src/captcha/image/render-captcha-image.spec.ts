import { CAPTCHA_ALPHABET, randomCaptchaText } from './alphabet';
import { contrastRatio, MIN_CONTRAST, relativeLuminance, type Rgb } from './palette';
import { PNG_SIGNATURE } from './png';
import { decodePng } from './read-png.test-helper';
import { CAPTCHA_IMAGE_HEIGHT, CAPTCHA_IMAGE_WIDTH, renderCaptchaImage } from './render-captcha-image';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphFor } from './stroke-font';

function pixelLuminances(rgb: Uint8Array): number[] {
  const luminances: number[] = [];
  for (let i = 0; i < rgb.length; i += 3) {
    const pixel: Rgb = [rgb[i], rgb[i + 1], rgb[i + 2]];
    luminances.push(relativeLuminance(pixel));
  }
  return luminances;
}

/** Colour with a given WCAG relative luminance, for comparing luminances as contrast. */
function greyOf(luminance: number): Rgb {
  const srgb = luminance <= 0.0031308 ? luminance * 12.92 : 1.055 * luminance ** (1 / 2.4) - 0.055;
  const v = Math.round(srgb * 255);
  return [v, v, v];
}

describe(renderCaptchaImage.name, () => {
  it('produces a valid 240x80 8-bit RGB PNG with one filter-0 scanline per row', () => {
    const image = renderCaptchaImage('AC3FH7');

    expect(image.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const decoded = decodePng(image.png);
    expect(decoded).toMatchObject({
      width: CAPTCHA_IMAGE_WIDTH,
      height: CAPTCHA_IMAGE_HEIGHT,
      bitDepth: 8,
      colourType: 2,
    });
    expect({ width: image.width, height: image.height }).toEqual({ width: 240, height: 80 });
    expect(decoded.chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(decoded.chunks.every((c) => c.crcValid)).toBe(true);

    const rowBytes = image.width * 3 + 1;
    expect(decoded.scanlines.length).toBe(rowBytes * image.height);
    for (let y = 0; y < image.height; y++) {
      expect(decoded.scanlines[y * rowBytes]).toBe(0);
    }
  });

  it('draws something different each time for the same text', () => {
    const first = decodePng(renderCaptchaImage('KMN47').png).rgb;
    const second = decodePng(renderCaptchaImage('KMN47').png).rgb;

    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
  });

  it('has dark text on a mostly light background with at least WCAG AA contrast', () => {
    const luminances = pixelLuminances(decodePng(renderCaptchaImage('WXY96R').png).rgb);
    const dark = luminances.filter((l) => l < 0.1).length / luminances.length;
    const light = luminances.filter((l) => l > 0.6).length / luminances.length;
    const background = [...luminances].sort((a, b) => a - b)[Math.floor(luminances.length / 2)];

    expect(dark).toBeGreaterThan(0.03);
    expect(light).toBeGreaterThan(0.5);
    expect(contrastRatio(greyOf(Math.min(...luminances)), greyOf(background))).toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it('has a glyph inside the font grid for every alphabet character', () => {
    for (const char of CAPTCHA_ALPHABET) {
      const glyph = glyphFor(char);
      expect(glyph?.length).toBeGreaterThan(0);
      for (const [x, y] of (glyph ?? []).flat()) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(GLYPH_WIDTH);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(GLYPH_HEIGHT);
      }
    }
  });

  it('widens the image for long texts instead of squeezing the glyphs', () => {
    const image = renderCaptchaImage(CAPTCHA_ALPHABET);

    expect(image.width).toBeGreaterThan(CAPTCHA_IMAGE_WIDTH);
    expect(decodePng(image.png)).toMatchObject({ width: image.width, height: CAPTCHA_IMAGE_HEIGHT });
  });

  it('rejects empty text and characters outside the font', () => {
    expect(() => renderCaptchaImage('')).toThrow(RangeError);
    expect(() => renderCaptchaImage('AB0')).toThrow(/glyph/);
    expect(() => renderCaptchaImage('acd')).toThrow(/glyph/);
  });
});

describe(randomCaptchaText.name, () => {
  it('draws the requested number of characters from the alphabet only', () => {
    for (const length of [1, 5, 6, 12]) {
      const text = randomCaptchaText(length);
      expect(text).toHaveLength(length);
      expect([...text].every((char) => CAPTCHA_ALPHABET.includes(char))).toBe(true);
    }
  });

  it('is not constant', () => {
    const texts = new Set(Array.from({ length: 20 }, () => randomCaptchaText(6)));
    // 21^6 ≈ 86 million possibilities: twenty draws colliding down to a few is practically impossible.
    expect(texts.size).toBeGreaterThan(15);
  });

  it('eventually uses every alphabet character', () => {
    const seen = new Set(randomCaptchaText(2000));
    expect([...seen].sort().join('')).toBe([...CAPTCHA_ALPHABET].sort().join(''));
  });

  it('rejects lengths that are not positive integers', () => {
    expect(() => randomCaptchaText(0)).toThrow(RangeError);
    expect(() => randomCaptchaText(-3)).toThrow(RangeError);
    expect(() => randomCaptchaText(2.5)).toThrow(RangeError);
  });
});
