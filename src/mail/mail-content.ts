import path from 'node:path';
import { Eta } from 'eta';

/**
 * What a mail says, as data: the HTML and the text part are drawn from it by the same two eta templates
 * (`templates/mail.html.eta`, `templates/mail.text.eta`), so the two parts never say different things. Every string
 * is plain text (escaped in HTML); links are absolute URLs under PUBLIC_URL.
 */
export interface MailContent {
  subject: string;
  /** The first words: "Hello Anna," */
  greeting?: string;
  paragraphs: string[];
  /** The one thing to do, as a button (and a plain link in the text part). */
  action?: { label: string; url: string };
  /** Listed items, for digests and notifications: a title with a link, and a few lines under it. */
  items?: Array<{ title: string; url: string; lines?: string[] }>;
  /** Quieter words after the action: "If you did not ask for this, you can ignore this mail." */
  after?: string[];
}

export interface RenderedMail {
  text: string;
  html: string;
}

const TEMPLATES_DIR = path.join(__dirname, 'templates');

export class MailRenderer {
  // The HTML part escapes every value; the text part is plain text and must not.
  private readonly html = new Eta({ views: TEMPLATES_DIR, cache: true, autoEscape: true, autoTrim: false });
  private readonly text = new Eta({ views: TEMPLATES_DIR, cache: true, autoEscape: false, autoTrim: false });

  constructor(private readonly siteName = 'Haven') {}

  render(content: MailContent, unsubscribeUrl: string | null): RenderedMail {
    const data = { ...content, siteName: this.siteName, unsubscribeUrl };
    return {
      html: this.html.render('mail.html.eta', data),
      text: this.text.render('mail.text.eta', data).replace(/\n{3,}/g, '\n\n'),
    };
  }
}
