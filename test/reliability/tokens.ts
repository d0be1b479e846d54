import { SignJWT } from 'jose';

const secret = () => new TextEncoder().encode(process.env.JWT_SECRET);

/** A correctly signed access token (the tests' JWT_SECRET) for `sub`, issued at `iat`, expiring at `exp`. */
function signedToken(sub: string, iat: number, exp: number): Promise<string> {
  return new SignJWT({ token_use: 'access' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer('lokiz')
    .setAudience('lokiz-app')
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(secret());
}

/** A correctly signed access token for `userId` that expired a minute ago. */
export async function expiredToken(userId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signedToken(userId, now - 1000, now - 60);
}

/** The same token with its signature changed (header and claims intact, still well-formed). */
export function tamperedToken(token: string): string {
  const [header, payload, signature] = token.split('.');
  const sig = Buffer.from(signature!, 'base64url');
  sig[0] = sig[0]! ^ 0xff;
  sig[sig.length - 1] = sig[sig.length - 1]! ^ 0x01;
  return `${header}.${payload}.${sig.toString('base64url')}`;
}

/** A valid-looking token whose subject is someone else (claims changed, signature kept). */
export function forgedSubjectToken(token: string, sub: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  const forged = Buffer.from(JSON.stringify({ ...claims, sub })).toString('base64url');
  return `${header}.${forged}.${signature}`;
}

/** A correctly signed, unexpired access token with whatever subject (the key is the tests' JWT_SECRET). */
export async function tokenWithSubject(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signedToken(sub, now, now + 600);
}
