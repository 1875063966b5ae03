import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Starter text for the site's own pages and a few well-known support lines, written once (an admin edits or
 * removes them in the pages; a removed line does not come back). The support lines are marked for an admin's
 * review: numbers and hours change, and the admin of a community answers for them.
 */
const SITE_PAGES: Array<[string, string, string]> = [
  [
    'about',
    'About Haven',
    `Haven is a peer support community for people living with serious illness, and for the people who care for them.

Here you can talk with others who understand: in the discussions, in the support chat, and in the comments on our articles. Many of us live with metastatic breast cancer; everyone going through something similar is welcome.

## What Haven is, and what it is not

Haven is a place for support, experience and kindness. It is not a medical service: nobody here can see your records or know your situation as your care team does. Please talk to your care team about your treatment.

## Who looks after it

A small team of volunteer moderators reads new members' first posts, answers reports and watches for people who may be in crisis. You can read how we look after each other in the [community guidelines](/guidelines).

If you need help now, the [support lines](/support) page lists crisis lines and specialist nurse helplines by country.`,
  ],
  [
    'privacy',
    'Privacy',
    `Being part of a health community is private. This page says, in plain words, what Haven keeps about you and why.

## What we keep

- **Your account:** your username, display name, email address and a strong one-way hash of your password (never the password itself). Your email address is never shown to other members.
- **What you write:** threads, posts, comments, chat messages, ratings and reactions, and earlier versions of what you edited, so that moderators can look after the community.
- **Your settings:** which emails you want, the threads and pages you follow, and your notifications.
- **Safety records:** reports, moderators' decisions and the audit log of what moderators and admins did.
- **Security records:** your sessions, and counts of failed sign-ins kept under keyed hashes of addresses, not the addresses themselves. Our logs never hold what you write, your cookies or your password.

## What we do not do

We do not sell your data, show advertising or use tracking scripts. Pages you read load no third-party code.

## Your choices

You can download everything you wrote and did from your settings ("Your data and your account"). You can delete your account: after 7 days, in which you can change your mind, it is gone. You choose whether your words are kept under "Former member" or erased.

## Mail

We send mail only for your account (confirming your address, resetting your password) and for the updates you chose. Once a mail has been handed to the mail server, its text is no longer kept here.

Questions about your data: see the [contact page](/contact).`,
  ],
  [
    'terms',
    'Terms of use',
    `By using Haven you agree to these terms. They are short because the idea is simple: be kind, be safe, and remember that this is peer support, not medical advice.

## Looking after each other

- Follow the [community guidelines](/guidelines). Moderators may hide, edit or remove what breaks them, and may limit or close an account.
- Respect privacy: do not share what others told you here outside Haven, and do not post anyone's personal details.
- Do not sell, advertise or promote treatments.

## Medical information

Nothing on Haven is medical advice. Articles are general information, reviewed by the people named on them; always talk to your care team about your own situation. If you are in danger, call your local emergency number.

## Your words

What you write stays yours. You let Haven show it to the community for as long as it is here. You can delete it, or your whole account, at any time.

## Changes

If these terms change, we will say so on this page with the date.`,
  ],
  [
    'contact',
    'Contact us',
    `We are a small team and we read every message.

- **Something on Haven worries you:** use the "Report" link next to it. Moderators see reports first.
- **You are worried about someone's safety:** please call your local emergency number. Our [support lines](/support) page lists crisis lines by country.
- **Your account or your data:** write to the community's admins. An admin will add the address here.

Haven cannot give medical advice. Your care team or a specialist nurse helpline is the right place for questions about treatment.`,
  ],
];

/** country, kind, name, phone, hours, url, position */
const SUPPORT_LINES: Array<[string, string, string, string, string, string, number]> = [
  ['GB', 'crisis', 'Samaritans', '116 123', 'Any time, day or night', 'https://www.samaritans.org/', 1],
  [
    'GB',
    'nurse',
    'Breast Cancer Now nurse helpline',
    '0808 800 6000',
    'Weekdays and Saturday mornings',
    'https://breastcancernow.org/',
    1,
  ],
  [
    'GB',
    'nurse',
    'Macmillan Support Line',
    '0808 808 00 00',
    'Every day, 8am to 8pm',
    'https://www.macmillan.org.uk/',
    2,
  ],
  ['IE', 'crisis', 'Samaritans Ireland', '116 123', 'Any time, day or night', 'https://www.samaritans.org/ireland/', 1],
  ['US', 'crisis', '988 Suicide & Crisis Lifeline', '988', 'Any time: call or text', 'https://988lifeline.org/', 1],
  ['US', 'nurse', 'American Cancer Society helpline', '1-800-227-2345', 'Any time', 'https://www.cancer.org/', 1],
  ['CA', 'crisis', '9-8-8 Suicide Crisis Helpline', '988', 'Any time: call or text', 'https://988.ca/', 1],
  ['AU', 'crisis', 'Lifeline', '13 11 14', 'Any time, day or night', 'https://www.lifeline.org.au/', 1],
  ['AU', 'nurse', 'Cancer Council 13 11 20', '13 11 20', 'Weekdays, business hours', 'https://www.cancer.org.au/', 1],
];

export class LibraryStarterText1796442219725 implements MigrationInterface {
  name = 'LibraryStarterText1796442219725';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [key, title, body] of SITE_PAGES) {
      await queryRunner.query(`INSERT INTO site_pages (key, title, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        key,
        title,
        body,
      ]);
    }
    for (const line of SUPPORT_LINES) {
      await queryRunner.query(
        `INSERT INTO support_lines (country, kind, name, phone, hours, url, position, needs_review)
         VALUES ($1, $2, $3, $4, $5, $6, $7, true)`,
        line,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM support_lines WHERE needs_review`);
    await queryRunner.query(`DELETE FROM site_pages`);
  }
}
