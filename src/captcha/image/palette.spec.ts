import { contrastRatio, MIN_CONTRAST, randomPalette } from './palette';
import { RandomSource } from './random-source';

describe(randomPalette.name, () => {
  it('always gives ink with at least WCAG AA contrast against both background shades', () => {
    const random = new RandomSource();
    for (let i = 0; i < 2000; i++) {
      const { ink, backgroundFrom, backgroundTo } = randomPalette(random);
      expect(contrastRatio(ink, backgroundFrom)).toBeGreaterThanOrEqual(MIN_CONTRAST);
      expect(contrastRatio(ink, backgroundTo)).toBeGreaterThanOrEqual(MIN_CONTRAST);
    }
  });
});

describe(contrastRatio.name, () => {
  it('gives 21 for black on white and 1 for equal colours', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrastRatio([120, 60, 200], [120, 60, 200])).toBe(1);
  });
});
