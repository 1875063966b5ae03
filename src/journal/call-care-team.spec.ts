import { callCareTeamReasons, type DayReadings, shouldCallCareTeam } from './call-care-team';

const day = (symptoms: Array<[string, number]>, temperatureC?: number | null): DayReadings => ({
  symptoms: symptoms.map(([name, grade]) => ({ name, grade })),
  temperatureC,
});

describe(shouldCallCareTeam.name, () => {
  it.each<[string, DayReadings, boolean]>([
    ['an empty day', day([]), false],
    ['no temperature taken', day([], null), false],
    ['37.9 °C', day([], 37.9), false],
    ['38.0 °C', day([], 38), true],
    ['39.4 °C', day([], 39.4), true],
    ['35 °C', day([], 35), false],
    ['moderate breathlessness', day([['breathlessness', 2]]), false],
    ['severe breathlessness', day([['breathlessness', 3]]), true],
    ['very severe breathlessness', day([['breathlessness', 4]]), true],
    ['severe pain', day([['pain', 3]]), true],
    ['moderate pain', day([['pain', 2]]), false],
    ['severe nausea', day([['nausea', 3]]), true],
    ['severe numbness or tingling', day([['numbness', 3]]), true],
    ['very severe fatigue (talk to the team at the next contact)', day([['fatigue', 4]]), false],
    ['very severe low mood', day([['low_mood', 4]]), false],
    ['very severe hot flushes', day([['hot_flushes', 4]]), false],
    ['her own symptom at its worst', day([['Mouth sores', 4]]), false],
    ['a calm day with a fever', day([['fatigue', 1]], 38.2), true],
  ])('%s → %s', (_what, readings, expected) => {
    expect(shouldCallCareTeam(readings)).toBe(expected);
  });

  it('names every reason', () => {
    expect(
      callCareTeamReasons(
        day(
          [
            ['breathlessness', 4],
            ['pain', 3],
            ['fatigue', 4],
          ],
          38.5,
        ),
      ),
    ).toEqual([
      { kind: 'temperature', temperatureC: 38.5 },
      { kind: 'symptom', name: 'breathlessness', grade: 4 },
      { kind: 'symptom', name: 'pain', grade: 3 },
    ]);
  });
});
