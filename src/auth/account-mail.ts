import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { MailContent } from '../mail/mail-content';
import type { AddressHolder } from '../users/member-addresses';

/** The page each mailed link opens (a GET shows a button that POSTs: mail scanners follow links). */
export const LINK_PAGES = {
  verify: '/confirm-email',
  reset: '/reset-password',
  email_change: '/change-email/confirm',
  email_undo: '/change-email/undo',
} as const;

/** What a reset mail offers for one account (one address may serve a few unconfirmed accounts). */
export interface ResetOffer {
  holder: AddressHolder;
  token: string;
}

/**
 * The words of the account mail: plain, kind and short (our members may be ill and tired), each with its one link.
 * Links are absolute, under PUBLIC_URL, and carry only the token.
 */
@Injectable()
export class AccountMail {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  link(page: keyof typeof LINK_PAGES, token: string): string {
    return `${this.config.mail.publicUrl}${LINK_PAGES[page]}?token=${token}`;
  }

  verify(holder: AddressHolder, token: string): MailContent {
    return {
      subject: 'Please confirm your email address',
      greeting: `Hello ${holder.displayName},`,
      paragraphs: [
        'Thank you for joining Haven. Please confirm that this email address is yours, so that we can reach you ' +
          'when you ask us to.',
      ],
      action: { label: 'Confirm my address', url: this.link('verify', token) },
      after: [
        'The link works once, for 24 hours. You can ask for a new one in your settings.',
        'If you did not join Haven, you can ignore this mail.',
      ],
    };
  }

  /** To the owner of an address someone tried to sign up with: nothing changed, and a way back in if it was her. */
  signUpWithYourAddress(holder: AddressHolder, token: string): MailContent {
    return {
      subject: 'Someone tried to join Haven with your address',
      greeting: `Hello ${holder.displayName},`,
      paragraphs: [
        'Someone just tried to make a new Haven account with this email address. It already belongs to your ' +
          `account, @${holder.username}, so nothing has changed and the new account cannot use it.`,
        'If it was you, perhaps you forgot that you already have an account. You can sign in as ' +
          `@${holder.username}, or choose a new password here:`,
      ],
      action: { label: 'Choose a new password', url: this.link('reset', token) },
      after: [
        'If it was not you, you do not need to do anything. Your account and your password are as they were.',
        'The link works once, for one hour.',
      ],
    };
  }

  reset(offers: ResetOffer[]): MailContent {
    const [first] = offers;
    const after = [
      'The link works once, for one hour. Choosing a new password signs you out on every device.',
      'If you did not ask for this, you can ignore this mail: your password stays as it is.',
    ];
    if (offers.length === 1) {
      return {
        subject: 'Choose a new password',
        greeting: `Hello ${first.holder.displayName},`,
        paragraphs: [
          `Someone, we hope you, asked to choose a new password for your Haven account @${first.holder.username}.`,
        ],
        action: { label: 'Choose a new password', url: this.link('reset', first.token) },
        after,
      };
    }
    return {
      subject: 'Choose a new password',
      greeting: 'Hello,',
      paragraphs: [
        'Someone, we hope you, asked to choose a new password for the Haven account of this address. A few ' +
          'accounts use it; choose the one that is yours.',
      ],
      items: offers.map((o) => ({
        title: `Choose a new password for @${o.holder.username}`,
        url: this.link('reset', o.token),
      })),
      after,
    };
  }

  confirmNewAddress(holder: AddressHolder, token: string): MailContent {
    return {
      subject: 'Please confirm your new email address',
      greeting: `Hello ${holder.displayName},`,
      paragraphs: [
        `You asked to use this email address for your Haven account @${holder.username}. Please confirm it. ` +
          'Until you do, your account keeps its old address.',
      ],
      action: { label: 'Confirm my new address', url: this.link('email_change', token) },
      after: ['The link works once, for 24 hours.', 'If you did not ask for this, you can ignore this mail.'],
    };
  }

  /** To the owner of an address another member tried to move her account to. */
  addressAskedForElsewhere(holder: AddressHolder): MailContent {
    return {
      subject: 'Someone asked to use your address on Haven',
      greeting: `Hello ${holder.displayName},`,
      paragraphs: [
        'Someone asked to move another Haven account to this email address. It already belongs to your account, ' +
          `@${holder.username}, so nothing has changed.`,
      ],
      after: ['You do not need to do anything.'],
    };
  }

  /** To the old address once the change is done: an undo, in case it was not her. */
  addressChanged(holder: AddressHolder, newAddress: string, token: string): MailContent {
    return {
      subject: 'Your email address was changed',
      greeting: `Hello ${holder.displayName},`,
      paragraphs: [
        `The email address of your Haven account @${holder.username} is now ${masked(newAddress)}. ` +
          'Mail for your account will go there from now on.',
        'If you made this change, there is nothing more to do.',
        'If you did not, undo it here. Your account gets this address back, and every device signed in to it ' +
          'is signed out.',
      ],
      action: { label: 'Undo this change', url: this.link('email_undo', token) },
      after: ['The link works once, for 7 days.'],
    };
  }
}

/** Enough of an address for its owner to know it, not enough to hand it to someone else: `a•••@example.org`. */
export function masked(address: string): string {
  const at = address.lastIndexOf('@');
  return at <= 0 ? '•••' : `${address.charAt(0)}•••${address.slice(at)}`;
}
