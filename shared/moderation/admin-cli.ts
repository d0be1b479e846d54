import { userInfo } from 'node:os';
import { closeDb, getDb } from '../db/client.ts';
import type { Role } from '../db/schema.ts';
import { grantRole } from './roles.ts';

/**
 * `npm run admin -- grant <email> [--role admin|moderator|user]` (default admin). Connects with
 * the same DATABASE_URL (or DATABASE_SECRET_ARN + DATABASE_HOST) as the Lambdas. Exit codes:
 * 0 done, 1 no such account, 2 usage.
 */
const USAGE = 'usage: npm run admin -- grant <email> [--role admin|moderator|user]';
const ROLES: readonly Role[] = ['admin', 'moderator', 'user'];

async function main(argv: string[]): Promise<number> {
  const [verb, email, ...rest] = argv;
  const roleFlag = rest.indexOf('--role');
  const role = (roleFlag >= 0 ? rest[roleFlag + 1] : 'admin') as Role;
  if (verb !== 'grant' || !email || !email.includes('@') || !ROLES.includes(role)) {
    console.error(USAGE);
    return 2;
  }
  const user = await grantRole(getDb(), email, role, userInfo().username);
  if (!user) {
    console.error(`no live account with the e-mail ${email}`);
    return 1;
  }
  console.log(`${user.email} (${user.id}) is now ${user.role}`);
  return 0;
}

main(process.argv.slice(2))
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (err) => {
    console.error(err instanceof Error ? err.message : err);
    await closeDb().catch(() => {});
    process.exit(1);
  });
