import { viewerHint } from './viewer-hint';

describe(viewerHint.name, () => {
  it.each([
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      { browser: 'Safari', device: 'phone' },
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0',
      { browser: 'Edge', device: 'computer' },
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
      { browser: 'Firefox', device: 'computer' },
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
      { browser: 'Chrome', device: 'phone' },
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/604.1',
      { browser: 'Safari', device: 'tablet' },
    ],
    ['curl/8.5.0', { browser: 'Other', device: 'other' }],
    [undefined, { browser: 'Other', device: 'other' }],
  ])('reads %s as %j', (ua, hint) => {
    expect(viewerHint(ua)).toEqual(hint);
  });
});
