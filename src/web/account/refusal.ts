import { type FormRefusal, formRefusal, inWords, joined, problemsOf } from '../core/forms';
import { captchaMessage } from './captcha-forms';

/**
 * Why a form was not accepted: the status to answer with, every problem (each about its field when it names one,
 * whose input gets aria-invalid and its message), and the whole in one sentence. See FormRefusal.
 */
export type Refusal = FormRefusal;

/**
 * Turns a service's refusal into what the page shows at the top of the form: 409 for a conflict (a taken name),
 * 429 when asked to slow down, else 422; each message starts with the field's name as a person reads it ("Display
 * name must be…" rather than "displayName must be…"). Anything that is not a refusal of the form's content is
 * rethrown and becomes an error page.
 */
export function refusal(err: unknown, labels: Record<string, string>, captchaKind?: 'image' | 'pow'): Refusal {
  return labelled(formRefusal(err), labels, captchaKind);
}

/** A refusal already taken (a form's, from `@Form()`, or `submit()`'s), in the words of the form (see refusal). */
export function labelled(refused: FormRefusal, labels: Record<string, string>, captchaKind?: 'image' | 'pow'): Refusal {
  const worded = inWords(refused, labels);
  if (!captchaKind) return worded;
  const problems = problemsOf(worded).map((p) => {
    const captcha = captchaMessage(p.raw ?? p.message, captchaKind);
    return captcha ? { field: 'captcha', message: captcha, raw: p.raw } : p;
  });
  return { ...worded, problems, message: joined(problems), field: problems[0]?.field };
}
