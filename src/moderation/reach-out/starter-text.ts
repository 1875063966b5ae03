/**
 * The first message of a care conversation until an admin writes her own: for someone who may be frightened.
 * Who we are, that we read her words, where the support lines are, and that she need not answer.
 */
export const DEFAULT_STARTER_TEXT = [
  'Hello. This is the moderation team at Haven: the small group of people who look after this community.',
  '',
  'We read what you wrote, and we wanted you to know that someone here is thinking of you. You have not done ' +
    'anything wrong, and you are not a bother.',
  '',
  'If you feel you might not be safe right now, please call your local emergency number, or one of the ' +
    '[support lines](/support): they are there for exactly this, and they want to hear from you.',
  '',
  'There is no need to answer this message. If you would like to talk, you can write back here whenever you are ' +
    'ready; only you and the moderation team can read this conversation.',
].join('\n');

/** The longest starter text an admin may set, in characters. */
export const STARTER_TEXT_MAX = 4000;
