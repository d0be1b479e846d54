import { randomBytes } from 'node:crypto';
import type { Api } from './http.ts';
import { lastMailTo, linkToken } from './mail.ts';

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

/**
 * The access and refresh token of a register/login/refresh answer, whether they sit under
 * `tokens` or at the top level (both shapes have existed).
 */
export function tokensOf(body: any): { accessToken: string; refreshToken: string } {
  const t = body?.tokens ?? body;
  return { accessToken: t.access_token, refreshToken: t.refresh_token };
}

/**
 * Registers a fresh account through the real endpoint and, unless `verified: false`, follows
 * the verification link from the local mail outbox (so it has its 100 credits), as a person would.
 */
export async function registerUser(
  api: Api,
  overrides: Partial<{ username: string; email: string; verified: boolean }> = {},
): Promise<TestUser> {
  const suffix = uniqueSuffix();
  const username = overrides.username ?? `user_${suffix}`;
  const email = (overrides.email ?? `${username}@example.test`).toLowerCase();
  const password = `pw-${suffix}-Trickster!`;
  const res = await api.request('POST', '/v1/auth/register', { body: { email, username, password } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  const user = {
    id: res.body.user.id,
    email,
    username,
    password,
    accessToken: res.body.access_token,
    refreshToken: res.body.refresh_token,
  } satisfies TestUser;
  if (overrides.verified === false) return user;
  await verifyUser(api, email);
  return user;
}

/** Follows the newest verification link mailed to `email` (POST /v1/auth/verify-email). */
export async function verifyUser(api: Api, email: string) {
  const token = linkToken(await lastMailTo(email));
  const res = await api.request('POST', '/v1/auth/verify-email', { body: { token } });
  if (res.status !== 200) throw new Error(`verify failed: ${res.status} ${res.text}`);
  return res;
}
