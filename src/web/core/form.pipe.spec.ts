import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forbidden, tooManyRequests } from '../../common/errors/domain-error';
import { CreateWatchedWordDto } from '../../moderation/watched-words/watched-words.service';
import { field } from './forms';
import { FormPipe, submit } from './form.pipe';
import { Redirect, redirect, View, view } from './page-result';

interface WordForm {
  pattern: string;
  action: string;
}

const pipe = new FormPipe({
  dto: CreateWatchedWordDto,
  typed: (body: unknown): WordForm => ({ pattern: field(body, 'pattern'), action: field(body, 'action') }),
});

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
    [{ pattern: 'hope', action: 'shout' }, /^action must be block, hold, flag or crisis/],
    [{ pattern: 'ho\u0000pe', action: 'hold' }, /^pattern must not contain NUL/],
  ])('keeps a refusal of %j (422, naming the field) with the typed text, never throws', async (body, message) => {
    const form = await pipe.transform(body);
    expect(form.input).toBeUndefined();
    expect(form.refusal).toMatchObject({ status: 422, message: expect.stringMatching(message) });
    expect(form.typed).toEqual(body);
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
    expect(locked).toMatchObject({ options: { status: 403 }, model: { message: 'locked' } });
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
