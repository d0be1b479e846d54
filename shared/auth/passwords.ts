import bcrypt from 'bcryptjs';
import { authEnv } from './config.ts';

/** bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so they are refused. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_CHARS = 8;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, authEnv().BCRYPT_COST);
}

// A real hash to compare against when the account does not exist, so login takes the
// same time either way and does not reveal which emails are registered.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  if (hash === undefined) {
    dummyHash ??= bcrypt.hash('lokiz-timing-equaliser', authEnv().BCRYPT_COST);
    await bcrypt.compare(password, await dummyHash);
    return false;
  }
  return bcrypt.compare(password, hash);
}

// The most common leaked passwords that satisfy the length rule (NIST 800-63B: check a blocklist
// rather than impose composition rules).
const COMMON = new Set([
  'password',
  'password1',
  'password123',
  '12345678',
  '123456789',
  '1234567890',
  'qwertyuiop',
  'qwerty123',
  '11111111',
  '00000000',
  'iloveyou',
  'abcd1234',
  'abc12345',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'welcome1',
  'letmein1',
  'trustno1',
  'passw0rd',
  'superman',
  'asdfghjk',
  'zaq12wsx',
  '1q2w3e4r',
  'qwer1234',
  'lokiz123',
  'trickster',
]);

/** Returns a reason when the password is too weak to accept. */
export function passwordWeakness(
  password: string,
  context: { email?: string; username?: string },
): string | null {
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'Password is too common';
  if (new Set(password).size < 4) return 'Password needs more variety';
  if (context.username && lower === context.username.toLowerCase())
    return 'Password must not equal the username';
  if (context.email && lower === context.email.toLowerCase()) return 'Password must not equal the email';
  return null;
}
