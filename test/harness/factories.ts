import { randomBytes } from 'node:crypto';
import type { Api } from './http.ts';

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

/** Registers a fresh account through the real endpoint. */
export async function registerUser(api: Api, overrides: Partial<{ username: string; email: string }> = {}) {
  const suffix = uniqueSuffix();
  const username = overrides.username ?? `user_${suffix}`;
  const email = overrides.email ?? `${username}@example.test`;
  const password = `pw-${suffix}-Trickster!`;
  const res = await api.request('POST', '/v1/auth/register', { body: { email, username, password } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return {
    id: res.body.user.id,
    email: email.toLowerCase(),
    username,
    password,
    ...tokensOf(res.body),
  } satisfies TestUser;
}
