import { summarise, type OpenDay } from './journal-summary';

const day = (date: string, grades: Record<string, number>, extra: Partial<OpenDay['content']> = {}): OpenDay => ({
  date,
  content: { symptoms: Object.entries(grades).map(([name, grade]) => ({ name, grade })), ...extra },
});

describe(summarise.name, () => {
  const days = [
    day('2026-03-04', { fatigue: 3, pain: 1, 'Mouth sores': 2 }, { temperatureC: 38.1, appointment: 'Clinic' }),
    day('2026-03-01', { fatigue: 1, pain: 2 }, { medicines: ['Capecitabine'] }),
    day('2026-03-02', { fatigue: 1 }, { questions: 'Scan date?', note: 'Slept badly' }),
    day('2026-03-03', { fatigue: 4, pain: 0 }),
  ];
  const s = summarise('2026-03-01', '2026-03-04', days);

  it('draws each symptom as a daily series, oldest first, catalogue symptoms before her own', () => {
    expect(s.midpoint).toBe('2026-03-03');
    expect(s.days).toBe(4);
    expect(s.symptoms.map((x) => x.name)).toEqual(['fatigue', 'pain', 'Mouth sores']);
    expect(s.symptoms[0].series).toEqual([
      { date: '2026-03-01', grade: 1 },
      { date: '2026-03-02', grade: 1 },
      { date: '2026-03-03', grade: 4 },
      { date: '2026-03-04', grade: 3 },
    ]);
    expect(s.symptoms[2]).toMatchObject({ label: 'Mouth sores', firstHalfMean: null, secondHalfMean: 2, change: null });
  });

  it('finds the worst days and the change from the first half to the second', () => {
    const fatigue = s.symptoms[0];
    expect(fatigue.worstDays).toEqual([
      { date: '2026-03-03', grade: 4 },
      { date: '2026-03-04', grade: 3 },
      { date: '2026-03-02', grade: 1 },
    ]);
    expect(fatigue).toMatchObject({ firstHalfMean: 1, secondHalfMean: 3.5, change: 'worse', highest: 4 });
    expect(fatigue.latest).toEqual({ date: '2026-03-04', grade: 3 });
    const pain = s.symptoms[1];
    expect(pain).toMatchObject({ firstHalfMean: 2, secondHalfMean: 0.5, change: 'better' });
    expect(pain.worstDays).toEqual([
      { date: '2026-03-01', grade: 2 },
      { date: '2026-03-04', grade: 1 },
    ]);
    expect(s.worstDays).toEqual([
      { date: '2026-03-04', total: 6, severe: ['fatigue'] },
      { date: '2026-03-03', total: 4, severe: ['fatigue'] },
      { date: '2026-03-01', total: 3, severe: [] },
    ]);
  });

  it('marks temperatures, medicines, appointments, questions, notes and the days that asked her to call', () => {
    expect(s.temperatures).toEqual([{ date: '2026-03-04', temperatureC: 38.1 }]);
    expect(s.medicines).toEqual([{ date: '2026-03-01', items: ['Capecitabine'] }]);
    expect(s.appointments).toEqual([{ date: '2026-03-04', text: 'Clinic' }]);
    expect(s.questions).toEqual([{ date: '2026-03-02', text: 'Scan date?' }]);
    expect(s.notes).toEqual([{ date: '2026-03-02', text: 'Slept badly' }]);
    expect(s.callDays).toEqual(['2026-03-04']);
  });

  it('calls a difference under a quarter grade the same, and an empty period empty', () => {
    const same = summarise('2026-03-01', '2026-03-02', [
      day('2026-03-01', { nausea: 2 }),
      day('2026-03-02', { nausea: 2 }),
    ]);
    expect(same.symptoms[0].change).toBe('same');
    expect(summarise('2026-03-01', '2026-03-14', [])).toMatchObject({ days: 0, symptoms: [], worstDays: [] });
  });
});
