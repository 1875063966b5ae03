import { addDays } from './journal-dates';
import { renderSymptomCharts, type ChartData } from './charts';

const from = '2026-03-01';
const data = (days: number): ChartData => ({
  from,
  to: addDays(from, days - 1),
  symptoms: [
    {
      name: 'fatigue',
      label: 'Fatigue',
      points: Array.from({ length: days }, (_, i) => ({ date: addDays(from, i), grade: i % 5 })),
    },
    { name: 'pain', label: 'Pain', points: [] },
  ],
  events: [
    { date: addDays(from, 2), kind: 'treatment', text: 'Capecitabine' },
    { date: addDays(from, 5), kind: 'appointment', text: 'Oncology clinic' },
  ],
});

describe('renderSymptomCharts', () => {
  it('draws each symptom as an accessible SVG with a text alternative and a table of the same days', async () => {
    const [fatigue, pain] = await renderSymptomCharts(data(14));
    expect(fatigue.svg).toMatch(/^<svg[^>]* role="img"/);
    expect(fatigue.svg).toContain('aria-labelledby="journal-chart-0-title journal-chart-0-desc"');
    expect(fatigue.svg).toContain('<title id="journal-chart-0-title">Fatigue, 1 Mar to 14 Mar 2026</title>');
    expect(fatigue.description).toBe(
      'Fatigue from 1 Mar to 14 Mar 2026: recorded on 14 days. Worst: very severe on 5 Mar. Latest: severe on 14 Mar.' +
        ' Marked on the time line: 1 day with treatments or medicines (shaded) and 1 appointment (solid lines).',
    );
    expect(fatigue.svg).not.toContain('<style');
    expect(fatigue.svg).not.toContain('style=');
    // inside role="img" nothing else is named (an aria-label on a <g> is not allowed)
    expect(fatigue.svg.match(/aria-label=/g)).toBeNull();
    for (const word of ['none', 'mild', 'moderate', 'severe', 'very severe'])
      expect(fatigue.svg).toContain(`>${word}<`);
    expect(fatigue.rows).toHaveLength(14);
    expect(fatigue.rows[4]).toEqual({ date: '2026-03-05', day: '5 Mar 2026', grade: 4, words: 'very severe' });
    // the two marks of the time line: a shaded band (treatment) and a solid rule (appointment)
    expect(fatigue.svg).toContain('fill="#0f766e"');
    expect(fatigue.svg).toContain('stroke="#b45309"');
    expect(pain.description).toMatch(/^Pain: not recorded from 1 Mar to 14 Mar 2026\./);
    expect(pain.rows).toEqual([]);
  });

  it('leaves out days outside the period and draws a year without a dot for each day', async () => {
    const year = data(365);
    const [fatigue] = await renderSymptomCharts({ ...year, to: addDays(from, 29) });
    expect(fatigue.rows).toHaveLength(30);
    const [wholeYear] = await renderSymptomCharts(year);
    expect(wholeYear.rows).toHaveLength(365);
    expect(wholeYear.svg).not.toContain('<circle');
  });

  it('joins treatment days close together into one band, closer over two weeks than over a year', async () => {
    const every = (n: number) => Array.from({ length: 120 }, (_, i) => addDays(from, i * n));
    const events = every(3).map((date) => ({ date, kind: 'treatment' as const, text: 'Capecitabine' }));
    const bands = (svg: string) => (svg.match(/<rect /g) ?? []).length;
    const [year] = await renderSymptomCharts({ ...data(365), events });
    const [twoWeeks] = await renderSymptomCharts({ ...data(14), events });
    expect(bands(year.svg)).toBe(1);
    expect(bands(twoWeeks.svg)).toBe(5);
    expect(year.description).toContain('120 days with treatments or medicines (shaded)');
  });
});
