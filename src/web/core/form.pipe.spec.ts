import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conflict, forbidden, InvalidInput, tooManyRequests } from '../../common/errors/domain-error';
import { CreateWatchedWordDto } from '../../moderation/watched-words/watched-words.service';
import { field, formRefusal, inWords, problemsOf, validatedAll } from './forms';
import { FormPipe, submit } from './form.pipe';
import { Redirect, redirect, View, view } from './page-result';

interface WordForm {
  pattern: string;
  action: string;
}

const WORD_SPEC = {
  dto: CreateWatchedWordDto,
  typed: (body: unknown): WordForm => ({ pattern: field(body, 'pattern'), action: field(body, 'action') }),
};
const pipe = new FormPipe(WORD_SPEC);

const again = (refused: { status: number; message: string }) => view('again', refused, { status: refused.status });

describe(FormPipe.name, () => {
  it('gives the DTO input of a valid form, with what was typed and the button pressed', async () => {
    const form = await pipe.transform({ pattern: 'hope', action: 'hold', intent: 'preview', _csrf: 'x' });
    expect(form.refusal).toBeUndefined();
    expect(form.input).toBeInstanceOf(CreateWatchedWordDto);
    expect(form.input).toEqual({ pattern: 'hope', action: 'hold' });
    expect(form.typed).toEqual({ pattern: 'hope', action: 'hold' });
    expect(form.intent).toBe('preview');
  });

  it.each([
    [{ pattern: 'hope', action: 'shout' }, /^Action must be block, hold, flag or crisis/],
    [{ pattern: 'ho\u0000pe', action: 'hold' }, /^Pattern must not contain NUL/],
  ])('keeps a refusal of %j (422, naming the field) with the typed text, never throws', async (body, message) => {
    const form = await pipe.transform(body);
    expect(form.input).toBeUndefined();
    expect(form.refusal).toMatchObject({ status: 422, message: expect.stringMatching(message) });
    expect(form.typed).toEqual(body);
  });
});

describe('a refused form', () => {
  it('lists every problem, one a field, each with its field and in the words of the form', async () => {
    const labelled = new FormPipe({
      ...WORD_SPEC,
      labels: { pattern: 'Word or phrase' },
      values: (typed: WordForm) => ({ ...typed, pattern: 42 }),
    });
    const form = await labelled.transform({ pattern: '42', action: 'shout' });
    expect(form.refusal?.problems).toEqual([
      { field: 'pattern', message: expect.stringMatching(/^Word or phrase /), raw: expect.stringMatching(/^pattern /) },
      { field: 'action', message: expect.stringMatching(/^Action must be /), raw: expect.stringMatching(/^action /) },
    ]);
    expect(form.refusal?.field).toBe('pattern');
  });

  it("keeps a service's other refusals as one problem about no field", () => {
    expect(formRefusal(conflict('That word is already on the list'))).toMatchObject({
      status: 409,
      problems: [{ message: 'That word is already on the list' }],
    });
    expect(formRefusal(conflict('x')).problems?.[0].field).toBeUndefined();
  });

  it("adds the page's own checks to the DTO's problems, in the form's order, the page's message winning", async () => {
    const err = await validatedAll(
      CreateWatchedWordDto,
      { pattern: '', action: 'shout' },
      ['note is needed', 'pattern is empty: type a word'],
      ['note', 'pattern', 'action'],
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).problems).toEqual([
      'note is needed',
      'pattern is empty: type a word',
      expect.stringMatching(/^action must be/),
    ]);
    await expect(validatedAll(CreateWatchedWordDto, { pattern: 'hope', action: 'hold' }, [])).resolves.toEqual({
      pattern: 'hope',
      action: 'hold',
    });
  });

  it('shows a refusal made without its problems (`{status, message}`) as its one message', () => {
    expect(problemsOf({ status: 422, message: 'Please try again' })).toEqual([{ message: 'Please try again' }]);
    expect(inWords({ status: 422, message: 'name is taken', field: 'name' }).problems).toEqual([
      { field: 'name', message: 'Name is taken', raw: 'name is taken' },
    ]);
  });

  it("never takes Object's own properties for labels", () => {
    const worded = inWords({
      status: 422,
      message: '',
      problems: [{ field: 'constructor', message: 'constructor must not be hasOwnProperty or toString' }],
    });
    expect(worded.problems?.[0].message).toBe('Constructor must not be hasOwnProperty or toString');
  });

  it('names camelCase fields in words when the form gives no label', () => {
    const worded = inWords({
      status: 422,
      message: '',
      problems: [{ field: 'displayName', message: 'displayName must be 1-64 characters' }],
    });
    expect(worded.problems?.[0].message).toBe('Display name must be 1-64 characters');
  });
});

describe(submit.name, () => {
  it('acts on a valid form and shows a refused one again, without acting', async () => {
    const acted: string[] = [];
    const act = async (input: CreateWatchedWordDto) => {
      acted.push(input.pattern);
      return redirect('/done', 'Done.');
    };
    const ok = await submit(await pipe.transform({ pattern: 'hope', action: 'hold' }), act, again);
    expect(ok).toEqual(new Redirect('/done', 'Done.'));
    const refused = await submit(await pipe.transform({ pattern: 'hope', action: '' }), act, again);
    expect(refused).toBeInstanceOf(View);
    expect((refused as View).options.status).toBe(422);
    expect(acted).toEqual(['hope']);
  });

  it("shows the service's refusal with its status and Retry-After; other kinds only when asked, else rethrown", async () => {
    const form = await pipe.transform({ pattern: 'hope', action: 'hold' });
    const slow = await submit(
      form,
      () => Promise.reject(tooManyRequests(7)),
      (r) => view('again', r, r),
    );
    expect(slow).toMatchObject({ options: { status: 429, retryAfterSeconds: 7 } });
    const locked = await submit(form, () => Promise.reject(forbidden('locked')), again, ['forbidden']);
    expect(locked).toMatchObject({ options: { status: 403 }, model: { message: 'Locked' } });
    await expect(submit(form, () => Promise.reject(forbidden('no')), again)).rejects.toThrow('no');
  });
});

describe('web controllers', () => {
  const root = join(__dirname, '..');
  const controllers = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.controller.ts'),
  );

  it.each(controllers)('%s returns Views and Redirects: it never renders or answers through the reply', (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    expect(source).not.toMatch(/@Res\(\)|pages\.(render|redirect)\(|reply\.(view|redirect|send)\(/);
    for (const [, template] of source.matchAll(/@Page\('([^']+)'/g)) {
      expect(readdirSync(join(root, 'views', template.split('/')[0]))).toContain(`${template.split('/')[1]}.eta`);
    }
  });
});
