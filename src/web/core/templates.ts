import { join } from 'node:path';
import { Eta } from 'eta';

const VIEWS_DIR = join(__dirname, '..', 'views');

/** The layout every page is shown in (views/layout.eta); the page's own HTML is its `it.body`. */
const LAYOUT = 'layout';

/**
 * The site's templates (views/*.eta, eta: `<%= %>` escapes; `<%~ %>` only for HTML that was sanitised when it was
 * stored), rendered straight from their compiled functions, each page in the one layout.
 *
 * Three things keep a page cheap to make and to send (bench/web-thread.mjs):
 *  - Nothing runs per render but the template functions: no per-request engine configuration, no copies of the
 *    model, and template paths resolved once (eta resolves each template and include on every render otherwise).
 *  - `include(name, it)` hands the same model on instead of a copy of it (eta copies every key, every include);
 *    an include with data of its own still sees the model's keys under its own, as eta defines.
 *  - The templates' own text is ASCII: any other character in it (a "·", curly quotes, "…") is written as a
 *    character reference when the template is compiled. One such character made the whole page a two-byte string
 *    in V8, twice the memory and about three times the cost of encoding it as UTF-8 for the socket. A page whose
 *    content is ASCII or Latin-1 now stays a one-byte string; content with other characters still makes it two-byte.
 */
export class Templates {
  private readonly eta: Eta;

  /** `cached`: compile each template once (production and tests); in development, every render reads the file. */
  constructor(cached: boolean) {
    this.eta = new Eta({
      views: VIEWS_DIR,
      cache: cached,
      autoEscape: true,
      autoTrim: [false, 'nl'],
      plugins: [{ processAST: asciiText, processFnString: includeWithoutCopy }],
    });
    if (cached) rememberPaths(this.eta);
  }

  /** A page: `template` with `model`, inside the layout (which reads `it.page` and the page's HTML as `it.body`). */
  page(template: string, model: Record<string, unknown>): string {
    model.body = this.eta.render(template, model);
    return this.eta.render(LAYOUT, model);
  }
}

type Ast = Parameters<NonNullable<NonNullable<Eta['config']['plugins']>[number]['processAST']>>[0];

/** The templates' literal text, with every character outside ASCII written as a numeric character reference. */
function asciiText(ast: Ast): Ast {
  return ast.map((part) =>
    typeof part === 'string' ? part.replace(/[\u0080-\u{10ffff}]/gu, (c) => `&#${c.codePointAt(0)};`) : part,
  );
}

/**
 * Eta defines `include` as rendering with `{...it, ...data}`. Passing the model itself (`include('x', it)`, most of
 * the layout's and the pages' partials) then copies every key for nothing; this passes it on as it is. Partials
 * only read their data (none assigns to `it`), so what they see is the same.
 */
function includeWithoutCopy(fn: string): string {
  const eta = 'let include = (__eta_t, __eta_d) => this.render(__eta_t, {...it, ...(__eta_d ?? {})}, options);';
  if (!fn.includes(eta)) throw new Error("eta's include changed: see includeWithoutCopy in src/web/core/templates.ts");
  return fn.replace(
    eta,
    'let include = (__eta_t, __eta_d) => this.render(__eta_t, __eta_d === it || __eta_d === undefined ? it : {...it, ...__eta_d}, options);',
  );
}

/**
 * Eta resolves the path of every template and include on every render (a JSON key, path joins, a containment
 * check). With the templates cached, a name always resolves to the same file, so the answer is kept.
 */
function rememberPaths(eta: Eta): void {
  const resolve = eta.resolvePath;
  if (!resolve) return;
  const known = new Map<string, string>();
  type Resolve = NonNullable<Eta['resolvePath']>;
  eta.resolvePath = function (this: ThisParameterType<Resolve>, template, options) {
    const key = `${options?.filepath ?? ''}\0${template}`;
    let path = known.get(key);
    if (path === undefined) {
      path = resolve.call(this, template, options);
      known.set(key, path);
    }
    return path;
  };
}
