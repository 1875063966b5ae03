/** The acknowledgement helpers live in src/common/realtime (other features answer events on /chat too). */
export { ackError, answer, parsePayload } from '../common/realtime/acks';
