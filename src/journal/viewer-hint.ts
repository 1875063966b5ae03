/**
 * A coarse hint of what opened a share link, for its member's list of views: a browser family and a device kind,
 * read from the User-Agent. Never an address, never the whole header.
 */
export interface ViewerHint {
  browser: 'Edge' | 'Firefox' | 'Chrome' | 'Safari' | 'Other';
  device: 'phone' | 'tablet' | 'computer' | 'other';
}

export function viewerHint(userAgent: string | undefined): ViewerHint {
  const ua = (userAgent ?? '').slice(0, 512);
  const browser: ViewerHint['browser'] = /Edg(e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /Firefox\/|FxiOS\//.test(ua)
      ? 'Firefox'
      : /Chrome\/|CriOS\/|Chromium\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua) && /Version\//.test(ua)
          ? 'Safari'
          : 'Other';
  const device: ViewerHint['device'] = /iPad|Tablet/.test(ua)
    ? 'tablet'
    : /Mobi|iPhone|Android/.test(ua)
      ? 'phone'
      : /Windows NT|Macintosh|X11|CrOS/.test(ua)
        ? 'computer'
        : 'other';
  return { browser, device };
}
