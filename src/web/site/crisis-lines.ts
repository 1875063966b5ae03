import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SupportLinesService, type SupportLine } from '../../library/support-lines.service';

/** What the crisis banner shows: one country's lines (crisis lines first), or none for the generic text. */
export interface CrisisSupport {
  /** The first crisis line, the one on the banner's one line. */
  first?: SupportLine & { tel: string };
  /** Every line of the country, for "More support lines". */
  lines: Array<SupportLine & { tel: string }>;
  country?: string;
  countryName?: string;
}

/** A phone number as a tel: link takes it. */
export const telOf = (phone: string): string => phone.replace(/[^0-9+]/g, '');

const NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

/** A country code in words ("GB" -> "United Kingdom"), or the code itself when unknown. */
export function countryName(code: string): string {
  try {
    return NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The regions a browser's Accept-Language names, most wanted first: `en-GB,en;q=0.9,fr-CA;q=0.5` -> GB, CA.
 * A language without a region names none (English is not a country).
 */
export function regionsOf(header: string | undefined): string[] {
  if (!header) return [];
  const wanted = header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const regions: string[] = [];
  for (const { tag } of wanted) {
    const region = tag
      .split('-')
      .slice(1)
      .find((sub) => /^[A-Za-z]{2}$/.test(sub));
    if (region && !regions.includes(region.toUpperCase())) regions.push(region.toUpperCase());
  }
  return regions;
}

/**
 * The crisis banner's lines for a reader: the member's country when Haven knows it, else the regions her browser
 * asks for, else none (the banner's generic words). From the support lines' in-memory copy: no query on a page.
 */
@Injectable()
export class CrisisLines {
  /** What each Accept-Language was given, while the lines stay as they are (browsers send few distinct ones). */
  private readonly memo = new Map<string, CrisisSupport>();
  private memoOf = -1;

  constructor(private readonly lines: SupportLinesService) {}

  for(request: FastifyRequest, memberCountry?: string): CrisisSupport {
    const raw = request.headers['accept-language'];
    const header = (Array.isArray(raw) ? raw[0] : raw) ?? '';
    const memoKey = `${memberCountry ?? ''}|${header}`;
    this.lines.refreshIfDue();
    if (this.memoOf !== this.lines.generation) {
      this.memo.clear();
      this.memoOf = this.lines.generation;
    }
    const known = this.memo.get(memoKey);
    if (known) return known;
    const support = this.build([...(memberCountry ? [memberCountry.toUpperCase()] : []), ...regionsOf(header)]);
    if (this.memo.size >= 500) this.memo.clear();
    this.memo.set(memoKey, support);
    return support;
  }

  private build(countries: string[]): CrisisSupport {
    const found = this.lines.linesFor(countries);
    if (!found) return { lines: [] };
    const lines = found.lines.map((l) => ({ ...l, tel: telOf(l.phone) }));
    return {
      first: lines.find((l) => l.kind === 'crisis'),
      lines,
      country: found.country,
      countryName: countryName(found.country),
    };
  }
}
