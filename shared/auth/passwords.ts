import { authEnv } from './config.ts';

type Bcrypt = typeof import('bcryptjs').default;
let bcryptjs: Promise<Bcrypt> | undefined;

/** Loaded on first use (a chunk of its own when bundled): most requests never hash a password. */
function bcrypt(): Promise<Bcrypt> {
  bcryptjs ??= import('bcryptjs').then((m) => m.default);
  return bcryptjs;
}

/** bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so they are refused. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_CHARS = 8;

export async function hashPassword(password: string): Promise<string> {
  return (await bcrypt()).hash(password, authEnv().BCRYPT_COST);
}

// A real hash to compare against when the account does not exist, so login takes the
// same time either way and does not reveal which emails are registered.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  const { compare } = await bcrypt();
  if (hash === undefined) {
    dummyHash ??= hashPassword('lokiz-timing-equaliser');
    await compare(password, await dummyHash);
    return false;
  }
  return compare(password, hash);
}

let common: Promise<ReadonlySet<string>> | undefined;

/**
 * The 49k most common passwords of the zxcvbn-ts project's list (leaked-password corpora,
 * frequency-ranked; NIST 800-63B: check a blocklist rather than impose composition rules).
 * Loaded on first use, so routes that never check a new password don't decompress it.
 */
export function commonPasswords(): Promise<ReadonlySet<string>> {
  common ??= import('@zxcvbn-ts/language-common/dist/passwords.json.mjs').then(
    (m) => new Set(m.default.map((p) => p.toLowerCase())),
  );
  return common;
}

/** Returns a reason when the password is too weak to accept. */
export async function passwordWeakness(
  password: string,
  context: { email?: string; username?: string },
): Promise<string | null> {
  const lower = password.toLowerCase();
  if ((await commonPasswords()).has(lower)) return 'Password is too common';
  if (new Set(password).size < 4) return 'Password needs more variety';
  if (context.username && lower === context.username.toLowerCase())
    return 'Password must not equal the username';
  if (context.email && lower === context.email.toLowerCase()) return 'Password must not equal the email';
  return null;
}
