import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { registerUser, uniqueSuffix } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { lastMailTo, linkToken, readOutbox } from '../../harness/mail.ts';

const api = useApi();

const login = (email: string, password: string) =>
  api.request('POST', '/v1/auth/login', { body: { email, password } });
const me = (token: string) => api.request('GET', '/v1/auth/me', { token });

describe('change password', () => {
  it('needs the current password, keeps this session and ends every other one', async () => {
    const user = await registerUser(api);
    const other = await login(user.email, user.password);
    const wrong = await api.request('POST', '/v1/account/password', {
      token: user.accessToken,
      body: { current_password: 'not-my-password-1', new_password: 'a-brand-new-secret-9' },
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'wrong_password']);
    const weak = await api.request('POST', '/v1/account/password', {
      token: user.accessToken,
      body: { current_password: user.password, new_password: 'iloveyou1' },
    });
    expect([weak.status, weak.body.error.details[0].path]).toEqual([400, 'new_password']);

    const ok = await api.request('POST', '/v1/account/password', {
      token: user.accessToken,
      body: { current_password: user.password, new_password: 'a-brand-new-secret-9' },
    });
    expect(ok.status).toBe(204);
    expect((await me(user.accessToken)).status).toBe(200);
    expect((await me(other.body.access_token)).status).toBe(401);
    const refreshOther = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: other.body.refresh_token },
    });
    expect(refreshOther.status).toBe(401);
    expect((await login(user.email, user.password)).status).toBe(401);
    expect((await login(user.email, 'a-brand-new-secret-9')).status).toBe(200);
    expect((await lastMailTo(user.email))!.subject).toBe('Your LOKIZ password was changed');
  });
});

describe('forgot → reset', () => {
  it('mails a single-use link; resetting signs out every session', async () => {
    const user = await registerUser(api);
    const second = await login(user.email, user.password);
    const res = await api.request('POST', '/v1/auth/password/forgot', {
      body: { email: user.email.toUpperCase() },
    });
    expect([res.status, res.body]).toEqual([202, { status: 'reset_sent' }]);
    const mail = await lastMailTo(user.email);
    expect(mail!.subject).toBe('Reset your LOKIZ password');
    const token = linkToken(mail);

    const weak = await api.request('POST', '/v1/auth/password/reset', {
      body: { token, password: 'password1' },
    });
    expect(weak.status).toBe(400);
    // A refused password does not spend the link.
    const reset = await api.request('POST', '/v1/auth/password/reset', {
      body: { token, password: 'fresh-start-42!' },
    });
    expect(reset.status).toBe(204);
    for (const t of [user.accessToken, second.body.access_token]) expect((await me(t)).status).toBe(401);
    for (const r of [user.refreshToken, second.body.refresh_token]) {
      expect((await api.request('POST', '/v1/auth/refresh', { body: { refresh_token: r } })).status).toBe(
        401,
      );
    }
    expect((await login(user.email, user.password)).status).toBe(401);
    expect((await login(user.email, 'fresh-start-42!')).status).toBe(200);
    const reused = await api.request('POST', '/v1/auth/password/reset', {
      body: { token, password: 'another-one-43!' },
    });
    expect([reused.status, reused.body.error.code]).toEqual([400, 'invalid_link']);
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const user = await registerUser(api);
    const ghost = `ghost_${uniqueSuffix()}@example.test`;
    const known = await api.request('POST', '/v1/auth/password/forgot', { body: { email: user.email } });
    const unknown = await api.request('POST', '/v1/auth/password/forgot', { body: { email: ghost } });
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(await readOutbox(ghost)).toEqual([]);
  });

  it('expires a link after 30 minutes and drops requests past 3 an hour silently', async () => {
    const user = await registerUser(api);
    await api.request('POST', '/v1/auth/password/forgot', { body: { email: user.email } });
    const token = linkToken(await lastMailTo(user.email));
    await sql`UPDATE email_tokens SET created_at = created_at - interval '31 minutes', expires_at = created_at - interval '1 minute'
              WHERE user_id = ${user.id} AND purpose = 'reset_password'`.execute(getDb());
    const late = await api.request('POST', '/v1/auth/password/reset', {
      body: { token, password: 'fresh-start-42!' },
    });
    expect([late.status, late.body.error.code]).toEqual([400, 'invalid_link']);
    const before = (await readOutbox(user.email)).length;
    for (let i = 0; i < 4; i++) {
      const r = await api.request('POST', '/v1/auth/password/forgot', { body: { email: user.email } });
      expect(r.status).toBe(202);
    }
    expect((await readOutbox(user.email)).length).toBe(before + 2);
  });

  it('verifies an account that never followed its verification link (the mailbox is proven)', async () => {
    const user = await registerUser(api, { verified: false });
    await api.request('POST', '/v1/auth/password/forgot', { body: { email: user.email } });
    const token = linkToken(await lastMailTo(user.email));
    expect(
      (await api.request('POST', '/v1/auth/password/reset', { body: { token, password: 'fresh-start-42!' } }))
        .status,
    ).toBe(204);
    const signedIn = await login(user.email, 'fresh-start-42!');
    expect(signedIn.body.user).toMatchObject({ email_verified: true, credits: 100 });
  });
});
