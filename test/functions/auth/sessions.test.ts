import { SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';

const api = useApi();
const secret = new TextEncoder().encode(process.env.JWT_SECRET);

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function signed(
  claims: Record<string, unknown>,
  opts: { exp?: number; iss?: string; aud?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: 'access', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now - 10)
    .setIssuer(opts.iss ?? 'lokiz')
    .setAudience(opts.aud ?? 'lokiz-app')
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(secret);
}

describe('GET /v1/auth/me', () => {
  it('returns the caller with email and credit balance', async () => {
    const user = await registerUser(api);
    const res = await api.request('GET', '/v1/auth/me', { token: user.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, email: user.email, credits: 100, username: user.username });
  });

  it('requires a token (401 with WWW-Authenticate)', async () => {
    const res = await api.request('GET', '/v1/auth/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('rejects expired, tampered, alg:none, wrong-issuer, wrong-audience and non-access tokens', async () => {
    const user = await registerUser(api);
    const now = Math.floor(Date.now() / 1000);
    const [header, payload, signature] = user.accessToken.split('.');
    const otherPayload = b64url({
      ...JSON.parse(Buffer.from(payload!, 'base64url').toString()),
      sub: 'someone-else',
    });
    const cases: Array<[string, string, string]> = [
      ['expired', await signed({ sub: user.id }, { exp: now - 60 }), 'token_expired'],
      ['tampered payload', `${header}.${otherPayload}.${signature}`, 'invalid_token'],
      ['tampered signature', `${header}.${payload}.${signature!.slice(0, -4)}AAAA`, 'invalid_token'],
      ['alg none', `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`, 'invalid_token'],
      ['wrong issuer', await signed({ sub: user.id }, { iss: 'evil' }), 'invalid_token'],
      ['wrong audience', await signed({ sub: user.id }, { aud: 'other-app' }), 'invalid_token'],
      ['not an access token', await signed({ sub: user.id, token_use: 'id' }), 'invalid_token'],
      ['garbage', 'not-a-jwt', 'invalid_token'],
    ];
    for (const [label, token, code] of cases) {
      const res = await api.request('GET', '/v1/auth/me', { token });
      expect(res.status, label).toBe(401);
      expect(res.body.error.code, label).toBe(code);
    }
    const wrongScheme = await api.request('GET', '/v1/auth/me', {
      headers: { authorization: `Basic ${header}` },
    });
    expect(wrongScheme.status).toBe(401);
  });

  it('refuses a token it accepted before once that token expires (verified tokens are kept until exp only)', async () => {
    const user = await registerUser(api);
    const me = () => api.request('GET', '/v1/auth/me', { token: user.accessToken });
    expect((await me()).status).toBe(200);
    const { exp } = JSON.parse(Buffer.from(user.accessToken.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
    };
    // Only this process's clock moves: the token check reads it, PostgreSQL does not.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime((exp + 3) * 1000);
      expect((await me()).status, 'within the 5 s clock tolerance').toBe(200);
      vi.setSystemTime((exp + 6) * 1000);
      const res = await me();
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('token_expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('ends a token it accepted before as soon as its session is signed out', async () => {
    const user = await registerUser(api);
    expect((await api.request('GET', '/v1/auth/me', { token: user.accessToken })).status).toBe(200);
    const out = await api.request('POST', '/v1/auth/logout', {
      token: user.accessToken,
      body: { refresh_token: user.refreshToken },
    });
    expect(out.status).toBeLessThan(300);
    const res = await api.request('GET', '/v1/auth/me', { token: user.accessToken });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('session_ended');
  });

  it('rejects a valid token whose account no longer exists', async () => {
    const user = await registerUser(api);
    await getDb().deleteFrom('users').where('id', '=', user.id).execute();
    const res = await api.request('GET', '/v1/auth/me', { token: user.accessToken });
    expect(res.status).toBe(401);
  });
});

describe('refresh tokens', () => {
  it('rotate: the new pair works and the old refresh token is spent', async () => {
    const user = await registerUser(api);
    const first = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: user.refreshToken },
    });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(user.refreshToken);
    const me = await api.request('GET', '/v1/auth/me', { token: first.body.access_token });
    expect(me.status).toBe(200);
    const second = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: first.body.refresh_token },
    });
    expect(second.status).toBe(200);
  });

  it('reuse of a rotated token revokes the whole family', async () => {
    const user = await registerUser(api);
    const rotated = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: user.refreshToken },
    });
    const latest = rotated.body.refresh_token;

    const replay = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: user.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_refresh_token');

    // The thief's replay also kills the legitimate holder's newer token.
    const afterRevoke = await api.request('POST', '/v1/auth/refresh', { body: { refresh_token: latest } });
    expect(afterRevoke.status).toBe(401);

    // Other sessions (another login) are unaffected.
    const login = await api.request('POST', '/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    const other = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: login.body.refresh_token },
    });
    expect(other.status).toBe(200);
  });

  it('of two concurrent refreshes with one token at most one succeeds', async () => {
    const user = await registerUser(api);
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        api.request('POST', '/v1/auth/refresh', { body: { refresh_token: user.refreshToken } }),
      ),
    );
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    expect(results.every((r) => r.status === 200 || r.status === 401)).toBe(true);
  });

  it('rejects unknown and expired refresh tokens', async () => {
    const unknown = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: 'x'.repeat(43) },
    });
    expect(unknown.status).toBe(401);
    const user = await registerUser(api);
    await getDb()
      .updateTable('refresh_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .execute();
    const expired = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: user.refreshToken },
    });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
  });

  it('logout revokes the session and is idempotent', async () => {
    const user = await registerUser(api);
    const out = await api.request('POST', '/v1/auth/logout', { body: { refresh_token: user.refreshToken } });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    const again = await api.request('POST', '/v1/auth/logout', {
      body: { refresh_token: user.refreshToken },
    });
    expect(again.status).toBe(204);
    const refresh = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: user.refreshToken },
    });
    expect(refresh.status).toBe(401);
    expect(refresh.body.error.message).toMatch(/signed out/);
    // The session's access token stops working at once, not when it expires.
    const me = await api.request('GET', '/v1/auth/me', { token: user.accessToken });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('session_ended');
  });
});
