import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { registerUser, uniqueSuffix, verifyUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { lastMailTo, readOutbox } from '../../harness/mail.ts';

const api = useApi();

describe('POST /v1/auth/register', () => {
  it('creates an unverified account with 0 credits, signs it in (flat tokens) and mails a link', async () => {
    const s = uniqueSuffix();
    const res = await api.request('POST', '/v1/auth/register', {
      body: { email: `Mixed.Case_${s}@Example.test`, username: `Trick_${s}`, password: 'glitch-me-please-7' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
      user: expect.objectContaining({
        username: `Trick_${s}`,
        display_name: `Trick_${s}`,
        email: `mixed.case_${s}@example.test`,
        email_verified: false,
        credits: 0,
      }),
    });
    expect(res.body.user).not.toHaveProperty('password_hash');
    const stored = await getDb()
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', res.body.user.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$2[aby]\$1\d\$/);
    // No credits before verification, so no ledger entry either.
    const ledger = await getDb()
      .selectFrom('credit_ledger')
      .selectAll()
      .where('user_id', '=', res.body.user.id)
      .execute();
    expect(ledger).toEqual([]);
    const mail = await lastMailTo(`mixed.case_${s}@example.test`);
    expect(mail?.subject).toBe('Verify your LOKIZ email address');
    expect(mail?.link).toMatch(/\/verify-email\?token=/);
  });

  it('rejects a taken username regardless of case (409)', async () => {
    const user = await registerUser(api);
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

  it('answers a registered email exactly like a new one, and tells the owner instead', async () => {
    const owner = await registerUser(api);
    const mailsBefore = (await readOutbox(owner.email)).length;
    const body = (email: string) => ({
      email,
      username: `again_${uniqueSuffix()}`,
      password: 'another-good-pass1',
    });
    const taken = await api.request('POST', '/v1/auth/register', { body: body(owner.email.toUpperCase()) });
    const fresh = await api.request('POST', '/v1/auth/register', {
      body: body(`new_${uniqueSuffix()}@example.test`),
    });
    expect(taken.status).toBe(201);
    expect(taken.status).toBe(fresh.status);
    // The same shape, field for field, down to the types.
    const shape = (v: unknown): unknown =>
      v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]))
        : typeof v;
    expect(shape(taken.body)).toEqual(shape(fresh.body));
    expect(taken.body.user).toMatchObject({ email: owner.email, email_verified: false, credits: 0 });
    expect([...taken.headers.keys()].sort()).toEqual([...fresh.headers.keys()].sort());

    // The owner is told, and gets no verification link for the other account.
    const mails = await readOutbox(owner.email);
    expect(mails).toHaveLength(mailsBefore + 1);
    expect(mails.at(-1)!.subject).toBe('Someone tried to sign up to LOKIZ with your email');
    expect(mails.at(-1)!.link).toMatch(/\/forgot-password\?email=/);
    // The owner's account is untouched and still the one that signs in with the address.
    const login = await api.request('POST', '/v1/auth/login', {
      body: { email: owner.email, password: owner.password },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(owner.id);
    // The second account can browse but never verify or sign in by password.
    const other = await api.request('POST', '/v1/auth/login', {
      body: { email: owner.email, password: 'another-good-pass1' },
    });
    expect(other.status).toBe(401);
    // Resending is limited the same way for both (one a minute), and mails the owner nothing.
    const resend = (b: typeof taken.body) =>
      api.request('POST', '/v1/auth/verify-email/resend', { token: b.access_token });
    const [r1, r2] = [await resend(taken.body), await resend(fresh.body)];
    expect([r1.status, r1.body.error.code]).toEqual([429, 'too_many_requests']);
    expect([r2.status, r2.body.error.code]).toEqual([r1.status, r1.body.error.code]);
    await sql`UPDATE email_tokens SET created_at = now() - interval '2 minutes'
              WHERE user_id IN (${taken.body.user.id}, ${fresh.body.user.id})`.execute(getDb());
    expect((await resend(taken.body)).status).toBe(202);
    expect((await resend(fresh.body)).status).toBe(202);
    expect((await readOutbox(owner.email)).length).toBe(mailsBefore + 1);
    expect((await readOutbox(fresh.body.user.email)).map((m) => m.subject)).toEqual([
      'Verify your LOKIZ email address',
      'Verify your LOKIZ email address',
    ]);
  });

  it('lets exactly one of many concurrent registrations of one username succeed', async () => {
    const username = `race_${uniqueSuffix()}`;
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        api.request('POST', '/v1/auth/register', {
          body: { email: `race_${uniqueSuffix()}@example.test`, username, password: 'race-condition-42' },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    const rows = await getDb().selectFrom('users').select('id').where('username', '=', username).execute();
    expect(rows).toHaveLength(1);
    // No partial state from the losers: one session family, one verification token.
    const tokens = await getDb()
      .selectFrom('email_tokens')
      .select('id')
      .where('user_id', '=', rows[0]!.id)
      .execute();
    expect(tokens).toHaveLength(1);
  });

  it('uses a password list of real scale, not a handful of entries', async () => {
    const { commonPasswords } = await import('../../../shared/auth/passwords.ts');
    const list = await commonPasswords();
    expect(list.size).toBeGreaterThan(30_000);
    for (const p of ['password1', 'iloveyou', 'sunshine', 'qwertyuiop', 'superman'])
      expect(list.has(p)).toBe(true);
  });

  it.each([
    ['too short', 'short1', 'validation_failed'],
    ['common', 'password123', 'validation_failed'],
    ['common (from the list, not a hand-written one)', 'starwars1', 'validation_failed'],
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
    await verifyUser(api, `mb_${s}@example.test`);
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
    expect(res.body.access_token).toEqual(expect.any(String));
    expect(res.body.token_type).toBe('bearer');
  });

  it('does not sign in an account whose email is not verified (same 401 as a wrong password)', async () => {
    const user = await registerUser(api, { verified: false });
    const res = await api.request('POST', '/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
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
