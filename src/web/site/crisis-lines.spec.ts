import { regionsOf, telOf } from './crisis-lines';

describe(regionsOf.name, () => {
  it.each([
    [undefined, []],
    ['', []],
    ['en', []],
    ['en-GB,en;q=0.9', ['GB']],
    ['fr;q=0.9, en-US;q=0.8, fr-CA', ['CA', 'US']],
    ['zh-Hant-TW', ['TW']],
    ['es-419, es-MX;q=0.5', ['MX']],
    ['en-gb, en-GB;q=0.5', ['GB']],
    ['de-DE;q=0', []],
  ])('reads %p as %p', (header, regions) => {
    expect(regionsOf(header)).toEqual(regions);
  });
});

describe(telOf.name, () => {
  it('keeps digits and a leading plus', () => {
    expect(telOf('116 123')).toBe('116123');
    expect(telOf('+44 (0)808 800-6000')).toBe('+4408088006000');
  });
});
