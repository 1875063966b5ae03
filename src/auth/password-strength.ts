import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/** zxcvbn's scale: 0 too guessable ... 4 very unguessable. 3 is "safely unguessable" (about 10^8 guesses or more). */
export const MIN_PASSWORD_SCORE = 3;

const ESTIMATED_LENGTH = 64;

let estimator: ZxcvbnFactory | undefined;

/** Built on first use: the dictionaries take a moment to load, and most requests never check a password. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
    // Bounded work for any input (the defaults took 240 ms for 64 characters of "Ab1$" here): the first 64
    // characters are estimated, with at most 10 l33t substitutions tried (~30 ms worst case); "P4$$w0rd1234" is
    // still found out.
    maxLength: ESTIMATED_LENGTH,
    l33tMaxSubstitutions: 10,
  });
  return estimator;
}

export interface PasswordStrength {
  score: number;
  /** What makes it guessable and how to make it stronger, in plain words; empty when it is strong enough. */
  advice: string;
}

/**
 * How guessable a new password is, knowing what an attacker would try first: the account's own username, e-mail
 * address (and its parts) and display name, passed as `userInputs`.
 */
export function passwordStrength(password: string, userInputs: string[]): PasswordStrength {
  const inputs = userInputs.flatMap((input) => [input, ...input.split(/[@._+\-\s]+/)]).filter((s) => s.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return { score: result.score, advice: '' };
  const warning = result.feedback.warning ? `${result.feedback.warning.replace(/\.$/, '')}. ` : '';
  return {
    score: result.score,
    advice:
      `${warning}Try three or four words that do not belong together, or a short sentence only you would think of; ` +
      'leave out your name and e-mail address',
  };
}
