import { hashPassword } from '../auth/passwords.ts';
import { startSession } from '../auth/sessions.ts';
import type { Db } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Locale } from '../db/schema.ts';
import { ConflictError } from '../http/errors.ts';
import { appLink } from '../mail/config.ts';
import { trySendMail } from '../mail/send.ts';
import { findUserByEmail, insertUser, USER_USERNAME_UNIQUE } from '../users/repository.ts';
import { toMe } from '../users/view.ts';
import { issueEmailToken } from './email-tokens.ts';
import { requireAcceptablePassword } from './passwords.ts';
import { isUsernameReserved } from './repository.ts';

/**
 * Registration answers the same way whether or not the email already has an account (201, the
 * flat token response, an unverified account with 0 credits), so it cannot be used to find out
 * who is registered. Behind that answer:
 * - a new address gets a verification link (verifying grants the sign-up credits);
 * - an address that a verified account owns gets "someone tried to sign up with your email"
 *   instead, and the new account stays an unverified claim that can never verify, sign in by
 *   password or spend credits (login only knows the verified owner).
 * Both paths hash, insert an account, issue a token and send one mail, so they also cost the same.
 */
export async function signUp(
  db: Db,
  input: { email: string; username: string; password: string; display_name?: string; locale: Locale },
) {
  await requireAcceptablePassword(input.password, input);
  // Hash before opening the transaction: bcrypt is slow and must not hold a connection.
  const passwordHash = await hashPassword(input.password);
  const result = await db
    .transaction()
    .execute(async (trx) => {
      if (await isUsernameReserved(trx, input.username.toLowerCase(), null)) throw usernameTaken();
      const owner = await findUserByEmail(trx, input.email);
      const user = await insertUser(trx, {
        email: input.email,
        username: input.username,
        password_hash: passwordHash,
        display_name: input.display_name ?? input.username,
        locale: input.locale,
      });
      // Issued either way (same work, same resend limits); mailed only to an unowned address.
      const token = await issueEmailToken(trx, user.id, 'verify_email');
      return { user, owner, token, session: await startSession(trx, user.id) };
    })
    .catch((err) => {
      // The unique index decides races: of concurrent registrations, exactly one wins the name.
      if (isUniqueViolation(err, USER_USERNAME_UNIQUE)) throw usernameTaken();
      throw err;
    });
  const { user, owner, token, session } = result;
  await trySendMail(
    owner
      ? {
          to: input.email,
          template: {
            kind: 'signup_attempt',
            resetLink: appLink('/forgot-password', { email: input.email }),
          },
          locale: owner.locale,
        }
      : {
          to: input.email,
          template: { kind: 'verify_email', link: appLink('/verify-email', { token }) },
          locale: input.locale,
        },
  );
  return { ...session, user: await toMe(user) };
}

function usernameTaken() {
  return new ConflictError('That username is taken', { field: 'username' }, 'username_taken');
}
