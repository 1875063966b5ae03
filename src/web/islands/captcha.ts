/**
 * The captcha island (sign-up, guest comments). The page works without it: a picture to read and a field for its
 * characters. With it, a person chooses between a check their device does by itself (proof of work, through the
 * ALTCHA widget: Tab to its checkbox, Space, and it is done in a moment) and the picture, which they can swap for a
 * new one in place. The widget's ~33 KB are fetched only when the form is near (focus, pointer or scrolled close),
 * so a guest reading an article pays about 1 KB for it.
 */
type Kind = 'pow' | 'image';

interface AltchaWidget extends HTMLElement {
  getState?: () => string;
  verify?: () => Promise<unknown>;
}

let loading: Promise<unknown> | undefined;
function loadWidget(): Promise<unknown> {
  loading ??= import('./_captcha-altcha');
  return loading;
}

function el<T extends HTMLElement>(tag: string, props: Record<string, string> = {}): T {
  return Object.assign(document.createElement(tag), props) as unknown as T;
}

function enhance(box: HTMLFieldSetElement): void {
  const form = box.form ?? box.closest('form');
  const imagePart = box.querySelector<HTMLElement>('[data-captcha-image]');
  if (!form || !imagePart) return;
  const refresh = form.querySelector<HTMLButtonElement>('[data-captcha-refresh]');
  const idInput = box.querySelector<HTMLInputElement>('[data-captcha-id]');
  const answer = box.querySelector<HTMLInputElement>('[data-captcha-answer]');
  const picture = box.querySelector<HTMLImageElement>('[data-captcha-img]');

  const kindInput = el<HTMLInputElement>('input', { type: 'hidden', name: 'captchaKind' });
  const status = el('p', { className: 'visually-hidden' });
  status.setAttribute('role', 'status');

  // The choice: two radios, the automatic check first.
  const choice = el('div', { className: 'captcha-choice' });
  const radios = new Map<Kind, HTMLInputElement>();
  const labels: Record<Kind, string> = {
    pow: 'Let my device check it by itself (a few seconds)',
    image: 'Type the characters from a picture',
  };
  for (const kind of ['pow', 'image'] as const) {
    const id = `captcha-kind-${kind}`;
    const radio = el<HTMLInputElement>('input', { type: 'radio', name: 'captchaChoice', id, value: kind });
    const label = el<HTMLLabelElement>('label', { className: 'checkbox', htmlFor: id });
    label.append(radio, el('span', { textContent: labels[kind] }));
    choice.append(label);
    radios.set(kind, radio);
    radio.addEventListener('change', () => choose(kind, true));
  }

  const powPart = el('div', { className: 'captcha-pow' });
  const hint = el('p', {
    className: 'hint',
    textContent: 'Tick “I’m not a robot”. Your device then solves a small puzzle; nothing about you is collected.',
  });
  const widget = document.createElement('altcha-widget') as AltchaWidget;
  widget.setAttribute('challenge', box.dataset.pow ?? '/api/captcha?kind=pow');
  widget.setAttribute('name', 'altcha');
  widget.setAttribute('language', 'en');
  widget.setAttribute('configuration', JSON.stringify({ hideLogo: true, hideFooter: true }));
  powPart.append(hint, widget);

  const legend = box.querySelector('legend');
  (legend ?? box).after(choice);
  choice.after(powPart);
  box.append(kindInput, status);

  function choose(kind: Kind, byPerson: boolean): void {
    kindInput.value = kind;
    radios.get(kind)!.checked = true;
    powPart.hidden = kind !== 'pow';
    imagePart!.hidden = kind !== 'image';
    if (refresh) refresh.hidden = kind !== 'image';
    for (const input of [idInput, answer]) if (input) input.disabled = kind !== 'image';
    if (kind === 'pow') void loadWidget();
    if (byPerson && kind === 'image') answer?.focus();
  }
  choose(box.dataset.kind === 'image' ? 'image' : 'pow', false);

  // Fetch the widget once the form is near.
  const near = () => void loadWidget();
  form.addEventListener('focusin', near, { once: true });
  form.addEventListener('pointerdown', near, { once: true });
  if ('IntersectionObserver' in window) {
    const seen = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          near();
          seen.disconnect();
        }
      },
      { rootMargin: '600px 0px' },
    );
    seen.observe(box);
  }

  // Sent before the check finished: finish it, then send.
  form.addEventListener('submit', (event) => {
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    if (kindInput.value !== 'pow' || submitter?.hasAttribute('data-captcha-refresh')) return;
    if (widget.getState?.() === 'verified') return;
    event.preventDefault();
    status.textContent = 'Checking that a person is writing…';
    void loadWidget()
      .then(() => customElements.whenDefined('altcha-widget'))
      .then(() => widget.verify?.())
      .then(() => {
        if (widget.getState?.() === 'verified') form.requestSubmit(submitter ?? undefined);
        else status.textContent = 'The check did not finish. Please tick the box again.';
      });
  });

  // A different picture, in place (the button posts the form when scripts are off).
  refresh?.addEventListener('click', (event) => {
    if (!picture || !idInput) return;
    event.preventDefault();
    fetch('/api/captcha?kind=image', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((res) => (res.ok ? (res.json() as Promise<{ id: string; image: string }>) : Promise.reject(res.status)))
      .then((c) => {
        picture.src = c.image;
        idInput.value = c.id;
        if (answer) {
          answer.value = '';
          answer.focus();
        }
        status.textContent = 'A new picture is shown.';
      })
      .catch(() => form.requestSubmit(refresh));
  });
}

document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-captcha]').forEach(enhance);

// The sign-up form's guess at the new member's time zone (her settings can change it): the browser's own.
document.querySelectorAll<HTMLInputElement>('input[data-time-zone]').forEach((input) => {
  input.value ||= Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
});
