/**
 * A starter list of English crisis phrases, watched with the action `crisis`: the post or message is published, the
 * author is shown support resources, and moderators get it first in the queue with a live alert.
 *
 * Reviewed against the warning signs that suicide-prevention bodies publish, which all name the same kinds of talk:
 * wanting to die or to kill oneself, having no reason to live, being a burden, feeling trapped or unable to go on,
 * saying goodbye, and making a plan such as stockpiling pills:
 *  - NIMH, "Warning Signs of Suicide" (https://www.nimh.nih.gov/health/publications/warning-signs-of-suicide)
 *  - 988 Suicide & Crisis Lifeline, "Know the signs" (https://988lifeline.org/)
 *  - Samaritans, "Signs that someone may be struggling to cope" (https://www.samaritans.org/)
 *  - WHO, "Suicide" fact sheet and LIVE LIFE guide (https://www.who.int/news-room/fact-sheets/detail/suicide)
 *
 * Matching is by whole words and phrases (matcher/watched-words-matcher.ts): no regular expressions and no
 * negation. So the list prefers phrases that are hard to say in another sense, because a wrong match here is not
 * harmless: it answers a person with crisis resources they did not need. In a community about serious illness,
 * death and dying are everyday words, so these are left out on purpose:
 *  - "want to die" alone: it is inside "I don't want to die" and "I want to die at home" (end-of-life wishes);
 *    "just want to die" and "wish I was dead" are kept;
 *  - "kill myself" alone: "kill myself laughing"; the phrases of intent ("want to kill myself") are kept;
 *  - "can't go on" alone: "can't go on holiday during chemo"; "can't go on like this" is kept;
 *  - "take all my pills" alone: "I take all my pills with breakfast"; "take all my pills at once" is kept;
 *  - "overdose", "stop treatment", "ready to die", "giving away": real topics here (pain relief, stopping
 *    treatment, hospice, putting affairs in order) that moderators would see flagged all day.
 * Admins add or remove phrases on /mod/watched-words; "Load the starter crisis list" there adds back the missing
 * ones in production.
 */
export const STARTER_CRISIS_LIST: readonly string[] = [
  // Direct: intent, wish or plan to die or to end one's life.
  'suicidal',
  'want to kill myself',
  'going to kill myself',
  'gonna kill myself',
  'thinking about killing myself',
  'thinking of killing myself',
  'end my life',
  'ending my life',
  'take my own life',
  'taking my own life',
  'end it all',
  'ending it all',
  'just want to die',
  'wish I was dead',
  'wish I were dead',
  'better off dead',
  'want to be dead',
  // Indirect: no reason to live, a burden, trapped, unable to go on.
  'no reason to live',
  'nothing to live for',
  'nothing left to live for',
  'no point in living',
  'not worth living',
  'better off without me',
  'a burden to everyone',
  'a burden to my family',
  "can't go on like this",
  'cannot go on like this',
  "can't do this anymore",
  "can't take it anymore",
  "can't take this anymore",
  'no way out',
  "don't want to wake up",
  "don't want to be here anymore",
  // Goodbyes and means.
  'say goodbye to everyone',
  'saying goodbye to everyone',
  'take all my pills at once',
  'taking all my pills at once',
  'swallow all my pills',
  'saving up my pills',
  'stockpiling my pills',
];
