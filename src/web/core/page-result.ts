/** How a page looks besides its template's own data: all optional, the `@Page()` decorator's values by default. */
export interface ViewOptions {
  /** Islands (src/web/islands/<name>.ts) this page loads; most pages load none. */
  islands?: readonly string[];
  status?: number;
  /** Keep this page out of search engines (members-only and moderator pages). */
  noindex?: boolean;
  description?: string;
  /** Sent as Retry-After (a refusal that asks to slow down says when to try again). */
  retryAfterSeconds?: number;
}

/** What `@Page()` says about a page: the defaults for what its handler's View does not say. */
export type PageDefaults = Omit<ViewOptions, 'status' | 'retryAfterSeconds'>;

/** A page handler's template and defaults, as `@Page()` records them. */
export interface PageTemplate {
  template: string;
  defaults: PageDefaults;
}

/** What a page handler returns to be shown: the page's title and its template's data (the view model). */
export class View<T extends object = object> {
  constructor(
    readonly title: string,
    readonly model: T,
    readonly options: ViewOptions = {},
  ) {}
}

/** What a handler returns to send the browser elsewhere (303, post-then-redirect), with one line to show there. */
export class Redirect {
  constructor(
    readonly to: string,
    readonly flash?: string,
  ) {}
}

/** What a handler returns to answer with a document of its own rather than a page (the HTML part of a mail). */
export class RawDocument {
  constructor(
    readonly body: string | Buffer,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** A page handler's answer: a page to show, where to go next, or (rarely) a document of its own. */
export type PageResult<T extends object = object> = View<T> | Redirect | RawDocument;

/** A document sent as it is, with its own type and headers (a Content-Security-Policy of its own, say). */
export function rawDocument(body: string, contentType: string, headers: Record<string, string> = {}): RawDocument {
  return new RawDocument(body, contentType, headers);
}

/** A page in its template (the handler's `@Page()` names it), titled `title`, with `model` as its data. */
export function view<T extends object>(title: string, model: T, options: ViewOptions = {}): View<T> {
  return new View(title, model, options);
}

/** Post, then redirect: to a path of ours (anything else goes home), the next page showing `flash`. */
export function redirect(to: string, flash?: string): Redirect {
  return new Redirect(to, flash);
}
