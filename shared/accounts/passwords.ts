import { passwordWeakness } from '../auth/passwords.ts';
import { ValidationError } from '../http/errors.ts';

/** 400 `weak_password` (on `field`) for a common, repetitive or name-like password. */
export async function requireAcceptablePassword(
  password: string,
  context: { email?: string; username?: string },
  field = 'password',
): Promise<void> {
  const weakness = await passwordWeakness(password, context);
  if (weakness) {
    throw new ValidationError(
      [{ in: 'body', path: field, code: 'weak_password', message: weakness }],
      weakness,
    );
  }
}
