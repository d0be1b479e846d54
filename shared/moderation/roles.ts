import type { Db } from '../db/client.ts';
import type { Role } from '../db/schema.ts';
import { insertAuditEntry, setRoleByEmail } from './repository.ts';

/** The audit log's moderator id for what the operator does from the CLI (no account behind it). */
export const OPERATOR_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Gives an account a role, from the CLI only (`npm run admin -- grant <email>`): the API has no
 * route that changes roles, so the first admin can only come from someone with database access.
 * Audited like every moderation action. Takes effect on the account's next request (the role is
 * read with the session every time; tokens carry it only as a hint).
 */
export async function grantRole(db: Db, email: string, role: Role, operator: string) {
  return db.transaction().execute(async (trx) => {
    const user = await setRoleByEmail(trx, email, role);
    if (!user) return undefined;
    await insertAuditEntry(trx, {
      moderator_id: OPERATOR_ID,
      action: 'grant_role',
      target_type: 'user',
      target_id: user.id,
      reason: `role ${role} granted from the CLI by ${operator}`,
    });
    return user;
  });
}
