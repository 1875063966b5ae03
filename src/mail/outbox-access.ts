import type { AppConfig } from '../config/config';
import type { Role } from '../common/auth/role';

/**
 * Who may read the mail this server keeps or sent (the /admin/mail pages): admins always. And, on a server that
 * is not in production and has no SMTP_URL (someone trying Haven on their own machine), anyone at that machine:
 * a request from a loopback address, so that "forgot my password" works end to end before any mail is set up.
 * Never from another machine: the outbox holds links that act on accounts.
 */
export function mayReadOutbox(config: AppConfig, role: Role | undefined, ip: string): boolean {
  if (role === 'admin') return true;
  return outboxOpenLocally(config) && isLoopback(ip);
}

/** Whether the sign-in page offers "see the mail this server would have sent" (to someone at this machine). */
export function outboxOpenLocally(config: AppConfig): boolean {
  return !config.isProduction && !config.mail.smtpUrl;
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}
