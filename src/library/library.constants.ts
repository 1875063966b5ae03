/** The site's own pages that admins edit (`/about`, `/privacy`, `/terms`, `/contact`). */
export const SITE_PAGE_KEYS = ['about', 'privacy', 'terms', 'contact'] as const;
export type SitePageKey = (typeof SITE_PAGE_KEYS)[number];

/** A support line is a crisis line (shown first, in the banner) or a specialist nurse helpline. */
export const SUPPORT_KINDS = ['crisis', 'nurse'] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];

/** An article's key, as the comments feature's pages take it. */
export const ARTICLE_KEY = /^[a-z0-9][a-z0-9-]{1,99}$/;
/** A country as ISO 3166-1 alpha-2, upper case (`GB`, `US`). */
export const COUNTRY_CODE = /^[A-Z]{2}$/;
