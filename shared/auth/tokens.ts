import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { getSecretString } from '../config/secrets.ts';
import type { Role } from '../db/schema.ts';
import { UnauthorizedError } from '../http/errors.ts';
import { authEnv } from './config.ts';

/** Who a verified access token speaks for: the account and its session (refresh-token family). */
export interface AccessClaims {
  id: string;
  /** The sign-in (refresh-token family) the token was issued for (`sid`). */
  sessionId: string;
  /** When the token expires (a live socket lives no longer). */
  expiresAt: Date;
  /** The role when the token was issued (`role` claim); moderation writes re-check the database's. */
  tokenRole: Role;
}

/** The caller of a route, once the session behind the token is known to be live. */
export interface AuthUser extends AccessClaims {
  emailVerified: boolean;
  /** The account's role now, read with the session on every request (not the token's claim). */
  role: Role;
  /** The "hide AI content" setting: the default of `exclude_ai` on feeds and search. */
  excludeAi: boolean;
}

const ROLES: readonly Role[] = ['user', 'moderator', 'admin'];

// Pinned: a token whose header names any other algorithm (including "none") is rejected.
const ALGORITHM = 'HS256';
const TOKEN_USE = 'access';
/** Every user id is a UUID; any other subject would reach SQL as a malformed uuid (a 500). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let keyPromise: Promise<webcrypto.CryptoKey> | undefined;

/**
 * The HMAC key, imported once: given the secret's bytes instead, jose imports a CryptoKey on every
 * sign and verify, about half of a verification's CPU (~60 of ~125 µs per signed-in request).
 */
function signingKey(): Promise<webcrypto.CryptoKey> {
  keyPromise ??= (async () => {
    const e = authEnv();
    const secret = e.JWT_SECRET ?? (await getSecretString(e.JWT_SECRET_ARN!));
    return webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  })();
  keyPromise.catch(() => {
    keyPromise = undefined;
  });
  return keyPromise;
}

/** Tolerated clock skew on `exp`, as jose applies it. */
const CLOCK_TOLERANCE_S = 5;
/** Verified tokens kept per process (oldest dropped first): a client sends one for up to an hour. */
const VERIFIED_MAX = 1000;
/**
 * Claims of tokens this process verified, by the token's exact text. WebCrypto's HMAC costs ~65 µs
 * of CPU per signed-in request; a token's text always verifies to the same claims, and time only
 * matters through `exp`, checked again on every hit. Like API Gateway's authorizer cache, but the
 * session behind the token is still read on every request (sessions.ts), so sign-out, revocation
 * and suspension take effect at once.
 */
const verified = new Map<string, AccessClaims>();
/** The settings `verified` was filled under (tests change them between cases). */
let verifiedUnder: ReturnType<typeof authEnv> | undefined;

/** Tests rotate JWT_SECRET between cases. */
export function resetSigningKey(): void {
  keyPromise = undefined;
  verified.clear();
}

/** `sessionId` (the `sid` claim) ties the token to its refresh-token family, so revoking it ends both. */
export async function issueAccessToken(
  userId: string,
  sessionId: string,
  role: Role = 'user',
): Promise<{ token: string; expiresAt: Date }> {
  const e = authEnv();
  const now = Math.floor(Date.now() / 1000);
  const exp = now + e.ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ token_use: TOKEN_USE, sid: sessionId, role })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(e.JWT_ISSUER)
    .setAudience(e.JWT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(await signingKey());
  return { token, expiresAt: new Date(exp * 1000) };
}

/** Signature, algorithm, issuer, audience and expiry only; sessions.ts checks the session is live. */
export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  const e = authEnv();
  if (verifiedUnder !== e) {
    verified.clear();
    verifiedUnder = e;
  }
  const hit = verified.get(token);
  if (hit) {
    if (Date.now() < hit.expiresAt.getTime() + CLOCK_TOLERANCE_S * 1000) return hit;
    verified.delete(token);
  }
  const claims = await verifySignedToken(token);
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
  verified.set(token, claims);
  return claims;
}

async function verifySignedToken(token: string): Promise<AccessClaims> {
  const e = authEnv();
  try {
    const { payload } = await jwtVerify(token, await signingKey(), {
      algorithms: [ALGORITHM],
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: CLOCK_TOLERANCE_S,
    });
    if (
      payload.token_use !== TOKEN_USE ||
      typeof payload.sub !== 'string' ||
      !UUID.test(payload.sub) ||
      typeof payload.sid !== 'string'
    ) {
      throw new UnauthorizedError('Invalid access token', 'invalid_token');
    }
    const tokenRole = ROLES.includes(payload.role as Role) ? (payload.role as Role) : 'user';
    const expiresAt = new Date(payload.exp! * 1000);
    return Object.freeze({ id: payload.sub, sessionId: payload.sid, expiresAt, tokenRole });
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired)
      throw new UnauthorizedError('Access token expired', 'token_expired');
    if (err instanceof UnauthorizedError) throw err;
    if (err instanceof joseErrors.JOSEError)
      throw new UnauthorizedError('Invalid access token', 'invalid_token');
    throw err;
  }
}

/** Refresh tokens are opaque random strings; only their SHA-256 is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
