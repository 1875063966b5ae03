import { startTestApp, type TestApp } from '../app';
import { createUser, type TestUser } from '../factories/users';

/** A test app (with `env` over the test defaults) and an admin and a moderator of its own. */
export async function startAppWithStaff(
  env: Record<string, string | undefined> = {},
): Promise<{ t: TestApp; admin: TestUser; mod: TestUser }> {
  const t = await startTestApp(env);
  const admin = await createUser(t, { role: 'admin' });
  const mod = await createUser(t, { role: 'moderator' });
  return { t, admin, mod };
}
