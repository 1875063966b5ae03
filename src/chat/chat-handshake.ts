import { Inject, Injectable, Logger } from '@nestjs/common';
import { PRINCIPAL_RESOLVER, type PrincipalResolver } from '../common/auth/principal';
import { sanctionRefusal } from '../common/auth/sanction-policy';
import { unauthenticated } from '../common/errors/domain-error';
import { mapError } from '../common/errors/error-mapping';
import type { ChatSocket } from './chat-events';

/** The Error a refused handshake gives the client (`connect_error`): the message says why; `data` has the status. */
export type HandshakeRefusal = Error & { data: { statusCode: number; message: string } };

/**
 * Who is connecting: the access token from `auth.token` (or an `Authorization: Bearer` header, for non-browser
 * clients), resolved like every HTTP request's. A suspended or banned member is refused; a silenced one may
 * connect and read.
 */
@Injectable()
export class ChatHandshake {
  private readonly logger = new Logger(ChatHandshake.name);

  constructor(@Inject(PRINCIPAL_RESOLVER) private readonly principals: PrincipalResolver) {}

  async admit(socket: ChatSocket): Promise<void> {
    const token = tokenOf(socket.handshake.auth, socket.handshake.headers.authorization);
    if (!token) throw unauthenticated('Sign in to chat: connect with auth: {token: <your access token>}');
    const principal = await this.principals.resolve(token);
    const refusal = sanctionRefusal(principal.sanction, 'read');
    if (refusal) throw refusal;
    socket.data = {
      userId: principal.id,
      username: principal.username,
      displayName: principal.displayName,
      role: principal.role,
      sessionId: principal.sessionId,
    };
  }

  refusal(err: unknown): HandshakeRefusal {
    const mapped = mapError(err);
    if (mapped.unexpected) this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    const { statusCode, message } = mapped.body;
    const text = Array.isArray(message) ? message.join('; ') : message;
    return Object.assign(new Error(text), { data: { statusCode, message: text } });
  }
}

function tokenOf(auth: Record<string, unknown> | undefined, header: string | undefined): string | undefined {
  const given = auth?.token;
  if (typeof given === 'string' && given.trim() !== '') return given.trim();
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}
