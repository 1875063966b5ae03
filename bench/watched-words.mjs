#!/usr/bin/env node
/**
 * Watched-words benchmark: the compiled WatchedWordsMatcher against the naive approach, in one run.
 *
 *   npm run build && node bench/watched-words.mjs
 *
 * Generates (seeded, so every run sees the same data) 2,000 realistic patterns (single words, 2-3 word phrases,
 * prefixes like "overdos*", accented words) and a 20 KB English-like post with a few hits, then prints:
 *  - the time to build the matcher;
 *  - the time to match one post (median and p99 over BENCH_RUNS runs, after warm-up), for
 *     - the matcher (`match`, and `strongest`),
 *     - the naive baseline: one precompiled `new RegExp('\\b' + escaped + '\\b', 'i')` per pattern, each tested
 *       against the post (it only answers "is it there", ASCII word boundaries, spaces only between words),
 *     - one combined alternation RegExp over the normalised post (finds leftmost non-overlapping matches only);
 *  - the ratios, and how many hits each approach saw.
 *
 * Wall-clock percentiles on a shared machine include preemption: the load average is printed, and so is each
 * contender's mean CPU time per post (process.cpuUsage over all its runs), which preemption does not inflate.
 *
 * Knobs (environment): BENCH_RUNS (1000), BENCH_BASELINE_RUNS (200: the baselines take 30-100 ms a post),
 * BENCH_WARMUP (200, and a tenth of it for the baselines), BENCH_PATTERNS (2000), BENCH_POST_BYTES (20000),
 * BENCH_SEED (1).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COMPILED = path.join(ROOT, 'dist/moderation/watched-words/matcher/watched-words-matcher.js');

const require = createRequire(import.meta.url);
let compiled;
try {
  compiled = require(COMPILED);
} catch (error) {
  console.error(`Cannot load ${path.relative(ROOT, COMPILED)}: run \`npm run build\` first.\n${error.message}`);
  process.exit(1);
}
const { WatchedWordsMatcher, normalizeForMatching, validatePattern } = compiled;

const intEnv = (name, fallback) => {
  const value = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const RUNS = intEnv('BENCH_RUNS', 1000);
const BASELINE_RUNS = intEnv('BENCH_BASELINE_RUNS', 200);
const WARMUP = intEnv('BENCH_WARMUP', 200);
const PATTERN_COUNT = intEnv('BENCH_PATTERNS', 2000);
const POST_BYTES = intEnv('BENCH_POST_BYTES', 20_000);
const SEED = intEnv('BENCH_SEED', 1);

// ---------------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so every run benchmarks the same patterns and post. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const pick = (list) => list[Math.floor(random() * list.length)];
const chance = (p) => random() < p;

const COMMON = `i you we they he she it the a an and or but so to of in on at for with about from by as is are was were
be been am have has had do did not no yes my your our their this that these those what when where why how who which
just really very still even also too more most much many some any all every each one two three day days week weeks
month year time times today tonight tomorrow yesterday morning night feel feeling felt think thought know knew want
wanted need needed help hope tired pain sleep eat eating talk talked tell told say said go going went come came get
got make made take took see saw look looked keep kept try tried start started stop stopped again back after before
because if then than now here there out up down over off doctor doctors nurse nurses hospital clinic appointment
scan scans results test tests treatment treatments chemo radiation surgery medication medications dose side effects
family friends husband wife partner kids mother father sister brother friend group everyone someone anyone nobody
thank thanks love support strength better worse good bad hard easy long short little big small new old same other
walk walked rest resting home work house car garden dog cat tea coffee water food appetite weight energy fatigue
nausea headache fever cough breath breathing heart blood cancer diagnosis oncologist prognosis remission recovery
infusion port cycle cycles week's can't don't won't i'm it's that's there's couldn't didn't`.split(/\s+/);

const CRISIS = [
  'kill myself',
  'end it all',
  'want to die',
  'better off dead',
  'no reason to live',
  "can't go on",
  'hurt myself',
  'suicide',
  'suicidal',
  'overdos*',
  'take all my pills',
  'not be here anymore',
];
const SPAM = [
  'buy now',
  'miracle cure',
  'click here',
  'limited offer',
  'free trial',
  'casino',
  'crypto*',
  'bitcoin',
  'forex',
  'cure cancer naturally',
  'detox*',
  'work from home',
  'guaranteed results',
];
const ACCENTED = ['médicament', 'guérison miracle', 'remède miracle', 'überdosis', 'suicidio', 'señal', 'pharmacie*'];
const SYLLABLES = `ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so
su ta te ti to tu va ve vi vo za ze zi zo tra tri pro pre gen xa xi zol dex vex lin rin mab nib zum`.split(/\s+/);
const ACCENTS = { a: 'áàâä', e: 'éèêë', i: 'íîï', o: 'óôö', u: 'úûü' };

/** A made-up word (drug names, spam brands, slurs stand-ins), never one of the post's common words. */
const syntheticWord = () => {
  for (;;) {
    let word = '';
    for (let n = 2 + Math.floor(random() * 3); n > 0; n--) word += pick(SYLLABLES);
    if (!COMMON.includes(word)) return word;
  }
};
const accented = (word) => word.replace(/[aeiou]/, (vowel) => pick([...ACCENTS[vowel]]));

function generatePatterns(count) {
  const seen = new Set();
  const patterns = [];
  const add = (pattern, action) => {
    const key = normalizeForMatching(pattern.replace(/\*$/, '')) + (pattern.endsWith('*') ? '*' : '');
    if (seen.has(key) || validatePattern(pattern) !== undefined) return;
    seen.add(key);
    patterns.push({ id: String(patterns.length + 1), pattern, action });
  };
  for (const p of CRISIS) add(p, 'crisis');
  for (const p of SPAM) add(p, pick(['block', 'hold']));
  for (const p of ACCENTED) add(p, 'flag');
  while (patterns.length < count) {
    const roll = random();
    const action = pick(['block', 'hold', 'flag', 'flag', 'crisis']);
    if (roll < 0.55) add(syntheticWord(), action);
    else if (roll < 0.7) add(`${pick(['buy', 'order', 'cheap', 'free', 'best'])} ${syntheticWord()}`, action);
    else if (roll < 0.8) add(`${syntheticWord()} ${pick(COMMON)}${chance(0.5) ? ` ${syntheticWord()}` : ''}`, action);
    else if (roll < 0.85) add(`${pick(['i', 'you', 'the', 'my'])} ${pick(COMMON)} ${syntheticWord()}`, action);
    else if (roll < 0.93) add(`${syntheticWord().slice(0, 5)}*`, action);
    else add(accented(syntheticWord()), action);
  }
  return patterns;
}

/** English-like paragraphs from common words, with a few planted hits. */
function generatePost(bytes, planted) {
  const sentences = [];
  let length = 0;
  const spots = new Set(planted.map((_, i) => Math.floor(((i + 0.5) * bytes) / planted.length / 80)));
  for (let s = 0; length < bytes; s++) {
    const words = [];
    for (let n = 6 + Math.floor(random() * 14); n > 0; n--)
      words.push(pick(COMMON).replace("'", chance(0.3) ? '’' : "'"));
    if (spots.has(s) && planted.length > 0) words.splice(Math.floor(random() * words.length), 0, planted.shift());
    if (chance(0.15))
      words.splice(1 + Math.floor(random() * (words.length - 1)), 0, pick(['—', '-', '(really)', '...']));
    let sentence = words.join(chance(0.1) ? ',  ' : ' ');
    sentence = sentence[0].toUpperCase() + sentence.slice(1) + pick(['.', '.', '.', '!', '?', '...']);
    sentences.push(sentence);
    length += sentence.length + 1;
  }
  let text = '';
  for (const sentence of sentences) text += sentence + (chance(0.12) ? '\n\n' : ' ');
  return text.slice(0, bytes);
}

const PLANTED = ['I just want to END IT ALL', 'Buy   now!', 'overdosed', 'Médicament', 'miracle-cure', 'CASINO'];

// ---------------------------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------------------------

const now = () => process.hrtime.bigint();

function measure(runs, warmup, fn) {
  for (let i = 0; i < warmup; i++) fn();
  const times = new Float64Array(runs);
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = now();
    fn();
    times[i] = Number(now() - start) / 1e6;
  }
  const cpu = process.cpuUsage(cpuStart);
  times.sort();
  const at = (q) => times[Math.min(runs - 1, Math.floor(q * runs))];
  return { median: at(0.5), p99: at(0.99), min: times[0], cpu: (cpu.user + cpu.system) / 1000 / runs };
}

const ms = (value) => (value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3)).padStart(8);
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const patterns = generatePatterns(PATTERN_COUNT);
const post = generatePost(POST_BYTES, [...PLANTED]);
const postBytes = Buffer.byteLength(post);

// The matcher: build, then match.
let matcher;
const firstBuildStart = now();
matcher = new WatchedWordsMatcher(patterns);
const firstBuild = Number(now() - firstBuildStart) / 1e6;
const build = measure(50, 5, () => {
  matcher = new WatchedWordsMatcher(patterns);
});
if (matcher.size !== patterns.length)
  throw new Error(`matcher compiled ${matcher.size} of ${patterns.length} patterns`);
const hits = matcher.match(post);
const strongest = matcher.strongest(post);
const matchTime = measure(RUNS, WARMUP, () => matcher.match(post));
const strongestTime = measure(RUNS, WARMUP, () => matcher.strongest(post));

// Naive: one precompiled RegExp per pattern, each tested against the post.
const naiveBuildStart = now();
const naive = patterns.map(({ pattern }) =>
  pattern.endsWith('*')
    ? new RegExp('\\b' + escapeRegExp(pattern.slice(0, -1)), 'i')
    : new RegExp('\\b' + escapeRegExp(pattern) + '\\b', 'i'),
);
const naiveBuild = Number(now() - naiveBuildStart) / 1e6;
const naiveRun = () => {
  let found = 0;
  for (let i = 0; i < naive.length; i++) if (naive[i].test(post)) found++;
  return found;
};
const naiveHits = naiveRun();
const naiveTime = measure(BASELINE_RUNS, Math.ceil(WARMUP / 10), naiveRun);

// One alternation RegExp over the normalised post (the matcher's word semantics, but only leftmost matches).
const combinedBuildStart = now();
const alternatives = patterns.map(({ pattern }) => {
  const prefix = pattern.endsWith('*');
  const words = normalizeForMatching(prefix ? pattern.slice(0, -1) : pattern).split(' ');
  return words.map(escapeRegExp).join(' ') + (prefix ? '[\\p{L}\\p{N}]*' : '');
});
const combined = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
const combinedBuild = Number(now() - combinedBuildStart) / 1e6;
const combinedRun = () => normalizeForMatching(post).match(combined)?.length ?? 0;
const combinedHits = combinedRun();
const combinedTime = measure(BASELINE_RUNS, Math.ceil(WARMUP / 10), combinedRun);

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

const kinds = {
  single: patterns.filter((p) => !p.pattern.includes(' ') && !p.pattern.endsWith('*')).length,
  phrases: patterns.filter((p) => p.pattern.includes(' ')).length,
  prefixes: patterns.filter((p) => p.pattern.endsWith('*')).length,
  accented: patterns.filter((p) => p.pattern.normalize('NFD') !== p.pattern).length,
};
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs`);
console.log(
  `${patterns.length} patterns (${kinds.single} single words, ${kinds.phrases} phrases, ${kinds.prefixes} prefixes, ` +
    `${kinds.accented} accented); post of ${postBytes} bytes, ${normalizeForMatching(post).split(' ').length} words; ` +
    `${RUNS} runs (baselines: ${BASELINE_RUNS}) after warm-up; load average ${os.loadavg()[0].toFixed(2)}`,
);
console.log(
  `matcher hits: ${hits.length} (${[...new Set(hits.map((h) => h.word.pattern))].join(', ')}); ` +
    `strongest: ${strongest?.action} (${strongest?.words.map((w) => w.pattern).join(', ')})`,
);
console.log();
console.log(
  `build                                ${ms(build.median)} ms median (first build ${ms(firstBuild).trim()} ms)`,
);
console.log(`build, naive (2,000 RegExps)         ${ms(naiveBuild)} ms`);
console.log(`build, combined RegExp               ${ms(combinedBuild)} ms`);
console.log();
console.log('per 20 KB post, ms                   median      p99      min cpu mean   hits');
const row = (label, t, found) =>
  console.log(
    `${label.padEnd(34)} ${ms(t.median)} ${ms(t.p99)} ${ms(t.min)} ${ms(t.cpu)} ${String(found).padStart(6)}`,
  );
row('matcher.match', matchTime, hits.length);
row('matcher.strongest', strongestTime, strongest?.words.length ?? 0);
row('naive, one RegExp per pattern', naiveTime, naiveHits);
row('combined RegExp (normalised post)', combinedTime, combinedHits);
console.log();
console.log(
  `naive / matcher: ${(naiveTime.median / matchTime.median).toFixed(0)}x (median), ` +
    `${(naiveTime.p99 / matchTime.p99).toFixed(0)}x (p99), ${(naiveTime.cpu / matchTime.cpu).toFixed(0)}x (cpu); ` +
    `combined RegExp / matcher: ${(combinedTime.median / matchTime.median).toFixed(1)}x (median)`,
);

const expected = ['end it all', 'buy now', 'overdos*', 'médicament', 'miracle cure'];
const missing = expected.filter((p) => !hits.some((h) => h.word.pattern === p));
if (missing.length > 0 || strongest?.action !== 'crisis') {
  console.error(`the matcher missed planted hits: ${missing.join(', ')} (strongest: ${strongest?.action})`);
  process.exit(1);
}
