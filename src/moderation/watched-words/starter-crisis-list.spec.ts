import { normalizeForMatching, validatePattern, WatchedWordsMatcher } from './matcher/watched-words-matcher';
import { STARTER_CRISIS_LIST } from './starter-crisis-list';

const matcher = new WatchedWordsMatcher(
  STARTER_CRISIS_LIST.map((pattern, i) => ({ id: String(i + 1), pattern, action: 'crisis' as const })),
);
const matched = (text: string) => matcher.match(text).map((m) => m.word.pattern);

describe('STARTER_CRISIS_LIST', () => {
  it('holds only valid patterns, each with its own meaning', () => {
    expect(STARTER_CRISIS_LIST.filter((p) => validatePattern(p) !== undefined)).toEqual([]);
    const keys = STARTER_CRISIS_LIST.map((p) => normalizeForMatching(p));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    ['some nights I just want to end it all', 'end it all'],
    ['I just want to die', 'just want to die'],
    ['Honestly they would all be better off without me.', 'better off without me'],
    ['I can’t go on like this anymore', "can't go on like this"],
    ['I have been saving up my pills', 'saving up my pills'],
    ['tonight I will take all my pills at once', 'take all my pills at once'],
    ['There is no reason to live now', 'no reason to live'],
    ['I want to say goodbye to everyone here', 'say goodbye to everyone'],
    ['i am SUICIDAL tonight', 'suicidal'],
  ])('catches direct and indirect wording: %s', (text, phrase) => {
    expect(matched(text)).toContain(phrase);
  });

  it.each([
    'I don’t want to die, I am so scared of the scan results',
    'I want to die at home, with my dog beside me, when the time comes',
    'That video made me kill myself laughing',
    'We can’t go on holiday during chemo this year',
    'My oncologist says we can stop treatment for a while',
    'Which pain relief helped you? I take all my pills with breakfast',
  ])('does not mistake everyday talk about illness and dying: %s', (text) => {
    expect(matched(text)).toEqual([]);
  });
});
