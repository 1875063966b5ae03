import type { EntityManager } from 'typeorm';

/**
 * The "Haven team" account that signs the starter community's welcome posts: made once (or renamed back), inside
 * the seeder's transaction. Its password hash `!` matches no password, so nobody can sign in as it.
 */
export async function ensureTeamAccount(m: EntityManager): Promise<{ id: string }> {
  const [team] = (await m.query(
    `INSERT INTO users (username, email, password_hash, display_name, role, first_approved_at)
     VALUES ('haven', 'team@haven.invalid', '!', 'Haven team', 'admin', now())
     ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name RETURNING id`,
  )) as Array<{ id: string }>;
  return team;
}
