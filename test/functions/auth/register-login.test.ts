import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { registerUser, uniqueSuffix } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';

const api = useApi();

describe('POST /v1/auth/register', () => {
  it('creates an account with 100 credits, tokens, and a signup ledger entry', async () => {
    const s = uniqueSuffix();
    const res = await api.request('POST', '/v1/auth/register', {
      body: { email: `Mixed.Case_${s}@Example.test`, username: `Trick_${s}`, password: 'glitch-me-please-7' },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      username: `Trick_${s}`,
      display_name: `Trick_${s}`,
      email: `mixed.case_${s}@example.test`,
      credits: 100,
    });
    expect(res.body.user).not.toHaveProperty('password_hash');
    expect(res.body.tokens.token_type).toBe('Bearer');
    expect(res.body.tokens.expires_in).toBe(900);
    const ledger = await getDb()
      .selectFrom('credit_ledger')
      .selectAll()
      .where('user_id', '=', res.body.user.id)
      .execute();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ amount: 100, reason: 'signup_bonus', balance_after: 100 });
    const stored = await getDb()
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', res.body.user.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$2[aby]\$1\d\$/);
  });

  it('rejects a duplicate email or username regardless of case (409)', async () => {
    const user = await registerUser(api);
    const byEmail = await api.request('POST', '/v1/auth/register', {
      body: {
        email: user.email.toUpperCase(),
        username: `other_${uniqueSuffix()}`,
        password: 'another-good-pass1',
      },
    });
    expect(byEmail.status).toBe(409);
    expect(byEmail.body.error.code).toBe('email_taken');
    const byName = await api.request('POST', '/v1/auth/register', {
      body: {
        email: `x_${uniqueSuffix()}@example.test`,
        username: user.username.toUpperCase(),
        password: 'another-good-pass1',
      },
    });
    expect(byName.status).toBe(409);
    expect(byName.body.error.code).toBe('username_taken');
  });

  it('lets exactly one of many concurrent registrations of one email succeed', async () => {
    const email = `race_${uniqueSuffix()}@example.test`;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.request('POST', '/v1/auth/register', {
          body: { email, username: `race_${i}_${uniqueSuffix()}`, password: 'race-condition-42' },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    const rows = await getDb().selectFrom('users').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(1);
    // No partial state from the losers: one user, one ledger entry.
    const ledger = await getDb()
      .selectFrom('credit_ledger')
      .select('id')
      .where('user_id', '=', rows[0]!.id)
      .execute();
    expect(ledger).toHaveLength(1);
  });

  it.each([
    ['too short', 'short1', 'validation_failed'],
    ['common', 'password123', 'validation_failed'],
    ['no variety', 'aaaaaaaaaaaa', 'validation_failed'],
    // 25 three-byte characters = 75 bytes: bcrypt would silently truncate it.
    ['over 72 UTF-8 bytes', '트'.repeat(25), 'validation_failed'],
  ])('rejects a weak or oversize password (%s)', async (_label, password, code) => {
    const s = uniqueSuffix();
    const res = await api.request('POST', '/v1/auth/register', {
      body: { email: `weak_${s}@example.test`, username: `weak_${s}`, password },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    const row = await getDb()
      .selectFrom('users')
      .select('id')
      .where('email', '=', `weak_${s}@example.test`)
      .execute();
    expect(row).toHaveLength(0);
  });

  it('accepts a 72-byte multi-byte password', async () => {
    const s = uniqueSuffix();
    const password = `${'트'.repeat(23)}abc`; // 69 + 3 = 72 bytes
    const res = await api.request('POST', '/v1/auth/register', {
      body: { email: `mb_${s}@example.test`, username: `mb_${s}`, password },
    });
    expect(res.status).toBe(201);
    const login = await api.request('POST', '/v1/auth/login', {
      body: { email: `mb_${s}@example.test`, password },
    });
    expect(login.status).toBe(200);
  });

  it.each([
    ['invalid email', { email: 'not-an-email', username: 'valid_name', password: 'good-password-1' }],
    ['bad username', { email: 'ok@example.test', username: 'no spaces!', password: 'good-password-1' }],
    ['missing field', { email: 'ok@example.test', password: 'good-password-1' }],
    [
      'unknown field',
      { email: 'ok@example.test', username: 'fine_name', password: 'good-pass-1', credits: 1e6 },
    ],
    ['not an object', ['email']],
  ])('rejects %s with 400 and field details', async (_label, body) => {
    const res = await api.request('POST', '/v1/auth/register', { body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Array.isArray(res.body.error.details)).toBe(true);
  });
});

describe('request framing errors', () => {
  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await api.request('POST', '/v1/auth/register', {
      raw: '{"email": "a@b.c",',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'invalid_json',
        message: 'Request body is not valid JSON',
        request_id: expect.any(String),
      },
    });
  });

  it('answers a non-JSON content type with 415', async () => {
    const res = await api.request('POST', '/v1/auth/login', {
      raw: 'email=a@b.c&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('answers a missing body with 400 and an oversize body with 413', async () => {
    const empty = await api.request('POST', '/v1/auth/login', {
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('body_required');
    const big = await api.request('POST', '/v1/auth/login', {
      body: { email: 'a@example.test', password: 'x'.repeat(70 * 1024) },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await api.request('GET', '/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('POST /v1/auth/login', () => {
  it('signs in with the right password, case-insensitively on email', async () => {
    const user = await registerUser(api);
    const res = await api.request('POST', '/v1/auth/login', {
      body: { email: user.email.toUpperCase(), password: user.password },
    });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
    expect(res.body.tokens.access_token).toEqual(expect.any(String));
  });

  it('gives the same 401 for a wrong password and an unknown email', async () => {
    const user = await registerUser(api);
    const wrong = await api.request('POST', '/v1/auth/login', {
      body: { email: user.email, password: 'nope-nope-1' },
    });
    const unknown = await api.request('POST', '/v1/auth/login', {
      body: { email: `ghost_${uniqueSuffix()}@example.test`, password: 'nope-nope-1' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(unknown.body.error).toEqual({ ...wrong.body.error, request_id: unknown.body.error.request_id });
  });
});
