import { addDays, dayOf, daysBetween, longDay, period, shortDay } from './journal-dates';
import { loadPlot, type Linkedom, type Plot } from './plot-module';
import { gradeWord } from './words';

/** One symptom's days: the grade (0-4) of each day she recorded it. */
export interface SymptomSeries {
  name: string;
  label: string;
  points: ReadonlyArray<{ date: string; grade: number }>;
}

/** What the time line marks: a treatment or medicine taken, an appointment. */
export interface TimelineEvent {
  date: string;
  kind: 'treatment' | 'appointment';
  text: string;
}

/** What the charts draw: a period (both ends included), its symptoms and its time line. */
export interface ChartData {
  from: string;
  to: string;
  symptoms: readonly SymptomSeries[];
  events: readonly TimelineEvent[];
}

/** One symptom's picture and its text alternatives. */
export interface SymptomChart {
  name: string;
  label: string;
  /** `<svg role="img">` with a `<title>` and a `<desc>`, safe to print into a page as it is. */
  svg: string;
  /** The picture in words (what the `<desc>` says). */
  description: string;
  /** The same days as a table, for screen readers and for anyone who prefers numbers. */
  rows: Array<{ date: string; day: string; grade: number; words: string }>;
}

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 190;
/** The time line's two kinds of marks, told apart by shape as well as colour (see the legend on the page). */
const TREATMENT_FILL = '#0f766e';
const APPOINTMENT_STROKE = '#b45309';
/** Up to this many days a dot marks each day; beyond, the line alone (a year of dots is noise). */
const DOTS_UP_TO = 100;

/**
 * Each symptom over the period as an SVG drawn on the server with Observable Plot in a server-side DOM (linkedom):
 * grades 0-4 labelled none…very severe, treatments (shaded bands) and appointments (solid lines) marked on the time
 * line. The
 * SVG carries its text alternative (`role="img"`, `<title>`, `<desc>`), needs no script and prints as it shows.
 * Plot's own `<style>` element is left out: the page's stylesheet (journal.css) styles `.journal-chart`, as the
 * site's Content-Security-Policy allows no inline styles.
 */
export async function renderSymptomCharts(data: ChartData): Promise<SymptomChart[]> {
  const { plot, linkedom } = await loadPlot();
  const { document } = linkedom.parseHTML('<!doctype html><html><body></body></html>');
  const events = data.events.filter((e) => e.date >= data.from && e.date <= data.to);
  const timeline: Timeline = {
    treatments: runsOf(
      events.filter((e) => e.kind === 'treatment').map((e) => e.date),
      Math.max(1, Math.floor((daysBetween(data.from, data.to) + 1) / RUN_GAP_PER_DAYS)),
    ),
    appointments: events.filter((e) => e.kind === 'appointment').map((e) => ({ ...e, at: dayOf(e.date) })),
  };
  return data.symptoms.map((symptom, index) => chartOf(plot, document, data, timeline, symptom, index));
}

interface Timeline {
  /** Days with treatments, as runs of days (a shaded band each). */
  treatments: ReadonlyArray<{ from: Date; to: Date; days: number }>;
  appointments: ReadonlyArray<TimelineEvent & { at: Date }>;
}

/**
 * Treatment days close together are one band: days at most `gap` apart join (1: consecutive days only). Over a
 * longer period the gap grows (a year: a week), so that a course of tablets every other day reads as one course
 * rather than a hundred stripes (and costs one element, not a hundred).
 */
const RUN_GAP_PER_DAYS = 60;
function runsOf(dates: readonly string[], gap: number): Timeline['treatments'] {
  const sorted = [...new Set(dates)].sort();
  const runs: Array<{ first: string; last: string; days: number }> = [];
  for (const date of sorted) {
    const run = runs[runs.length - 1];
    if (run && daysBetween(run.last, date) <= gap) {
      run.last = date;
      run.days += 1;
    } else runs.push({ first: date, last: date, days: 1 });
  }
  return runs.map((r) => ({ from: dayOf(r.first), to: dayOf(addDays(r.last, 1)), days: r.days }));
}
type ServerDocument = ReturnType<Linkedom['parseHTML']>['document'];
/** What is used of the SVG element Plot draws (the project compiles without the DOM's types). */
interface DrawnSvg {
  outerHTML: string;
  firstChild: unknown;
  querySelectorAll(selector: string): ArrayLike<{ remove(): void; removeAttribute(name: string): void }>;
  removeAttribute(name: string): void;
  setAttribute(name: string, value: string): void;
  insertBefore(node: unknown, before: unknown): unknown;
}

function chartOf(
  plot: Plot,
  document: ServerDocument,
  data: ChartData,
  timeline: Timeline,
  symptom: SymptomSeries,
  index: number,
): SymptomChart {
  // Dates written YYYY-MM-DD order as strings do (no localeCompare: a year of charts sorts 3,650 of them).
  const points = symptom.points
    .filter((p) => p.date >= data.from && p.date <= data.to)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((p) => ({ date: p.date, grade: p.grade, at: dayOf(p.date) }));
  const description = describe(data, symptom.label, points, timeline);
  const figure = plot.plot({
    document: document as never,
    className: 'journal-chart',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    marginLeft: 86,
    marginRight: 18,
    marginTop: 14,
    marginBottom: 30,
    style: { background: 'transparent' },
    x: { type: 'utc', domain: [dayOf(data.from), dayOf(addDays(data.to, 1))], label: null, ticks: 6 },
    y: { domain: [0, 4], ticks: [0, 1, 2, 3, 4], tickFormat: (g: number) => gradeWord(g), label: null, grid: true },
    marks: [
      plot.rect(timeline.treatments, { x1: 'from', x2: 'to', fill: TREATMENT_FILL, fillOpacity: 0.18 }),
      plot.ruleX(timeline.appointments, { x: 'at', stroke: APPOINTMENT_STROKE, strokeWidth: 2 }),
      plot.lineY(points, { x: 'at', y: 'grade', stroke: 'currentColor', strokeWidth: 2 }),
      points.length <= DOTS_UP_TO ? plot.dot(points, { x: 'at', y: 'grade', fill: 'currentColor', r: 3 }) : null,
    ],
  }) as unknown as DrawnSvg;
  accessible(
    document,
    figure,
    `journal-chart-${index}`,
    `${symptom.label}, ${period(data.from, data.to)}`,
    description,
  );
  return {
    name: symptom.name,
    label: symptom.label,
    svg: figure.outerHTML,
    description,
    rows: points.map((p) => ({ date: p.date, day: longDay(p.date), grade: p.grade, words: gradeWord(p.grade) })),
  };
}

/** `<svg role="img" aria-labelledby>` with its `<title>` and `<desc>` first, Plot's inline `<style>` left out. */
function accessible(document: ServerDocument, svg: DrawnSvg, id: string, title: string, description: string): void {
  for (const style of Array.from(svg.querySelectorAll('style'))) style.remove();
  // Plot names its groups with aria-label ("line", "y-axis tick"); inside role="img" they are not read, and an
  // aria-label on an element without a role is not allowed (axe: aria-prohibited-attr).
  for (const named of Array.from(svg.querySelectorAll('[aria-label], [aria-description]'))) {
    named.removeAttribute('aria-label');
    named.removeAttribute('aria-description');
  }
  svg.removeAttribute('style');
  const ns = 'http://www.w3.org/2000/svg';
  const titleEl = document.createElementNS(ns, 'title');
  titleEl.setAttribute('id', `${id}-title`);
  titleEl.textContent = title;
  const descEl = document.createElementNS(ns, 'desc');
  descEl.setAttribute('id', `${id}-desc`);
  descEl.textContent = description;
  svg.insertBefore(descEl, svg.firstChild);
  svg.insertBefore(titleEl, descEl);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', `${id}-title ${id}-desc`);
  svg.setAttribute('id', id);
}

/** The picture in words: how often, the worst, the latest, and what the time line marks. */
function describe(
  data: ChartData,
  label: string,
  points: ReadonlyArray<{ date: string; grade: number }>,
  timeline: Timeline,
): string {
  const within = `from ${shortDay(data.from)} to ${longDay(data.to)}`;
  const marks = timelineWords(timeline);
  if (points.length === 0) return `${label}: not recorded ${within}.${marks}`;
  const worst = points.reduce((w, p) => (p.grade > w.grade ? p : w), points[0]);
  const latest = points[points.length - 1];
  const days = points.length === 1 ? '1 day' : `${points.length} days`;
  return (
    `${label} ${within}: recorded on ${days}. Worst: ${gradeWord(worst.grade)} on ${shortDay(worst.date)}. ` +
    `Latest: ${gradeWord(latest.grade)} on ${shortDay(latest.date)}.${marks}`
  );
}

function timelineWords(timeline: Timeline): string {
  const treatments = timeline.treatments.reduce((n, r) => n + r.days, 0);
  const appointments = timeline.appointments.length;
  const parts = [
    treatments ? `${treatments} ${treatments === 1 ? 'day' : 'days'} with treatments or medicines (shaded)` : '',
    appointments ? `${appointments} ${appointments === 1 ? 'appointment' : 'appointments'} (solid lines)` : '',
  ].filter(Boolean);
  return parts.length ? ` Marked on the time line: ${parts.join(' and ')}.` : '';
}
