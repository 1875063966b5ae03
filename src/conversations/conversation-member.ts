import type { Principal } from '../common/auth/principal';

/** A member as the rules need her: who she is, her role and her active sanction (read fresh for sockets). */
export type Member = Pick<Principal, 'id' | 'username' | 'displayName' | 'role' | 'sanction'>;
