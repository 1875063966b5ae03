import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './eventually';

export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
  /** Each header as it was sent (unfolded), by its lower-case name: `header['list-unsubscribe-post']`. */
  header: Record<string, string>;
  /** The absolute links in the text part, in order. */
  links: string[];
}

export interface TestSmtp {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Recipients the server refuses for good (550 at RCPT TO), as a mailbox that does not exist. */
  refuse: Set<string>;
  /** Waits for a mail to `to` that `match` accepts (the newest first), then answers it. */
  waitFor(to: string, match?: (mail: ReceivedMail) => boolean, options?: { timeoutMs?: number }): Promise<ReceivedMail>;
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package), parsing what it accepts with `mailparser`, as a mail
 * provider would receive Haven's mail. `port` 0 takes a free port; a fixed one lets a test stop and restart it.
 */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address.toLowerCase())) {
        const error = new Error('No such mailbox here') as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          for (const rcpt of session.envelope.rcptTo) received.push(toReceived(mail, rcpt.address));
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.server.address() as AddressInfo).port;
  const to = (address: string) => received.filter((m) => m.to === address.toLowerCase());
  return {
    url: `smtp://127.0.0.1:${actual}`,
    port: actual,
    received,
    refuse,
    to,
    waitFor: (address, match = () => true, options = {}) =>
      eventually(() => {
        const found = to(address).reverse().find(match);
        if (!found) throw new Error(`no mail to ${address} yet (${to(address).length} others)`);
        return found;
      }, options),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function toReceived(mail: ParsedMail, to: string): ReceivedMail {
  const text = mail.text ?? '';
  return {
    to: to.toLowerCase(),
    from: mail.from?.text ?? '',
    subject: mail.subject ?? '',
    messageId: mail.messageId ?? '',
    text,
    html: typeof mail.html === 'string' ? mail.html : '',
    header: Object.fromEntries(
      mail.headerLines.map(({ key, line }) => [
        key,
        line
          .slice(line.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      ]),
    ),
    links: [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
  };
}
