import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { ledgerMatchesBalance } from '../../harness/ai.ts';
import { registerUser, uniqueSuffix, verifyUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { lastMailTo, linkToken, readOutbox } from '../../harness/mail.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';

const api = useApi();
useLocalMedia();

describe('email verification', () => {
  it('sign up → verify → 100 credits, exactly once, and signed in', async () => {
    const user = await registerUser(api, { verified: false });
    const mail = await lastMailTo(user.email);
    expect(mail!.text).toContain('100');
    expect(mail!.html).toContain('<a href=');
    const token = linkToken(mail);

    const verified = await api.request('POST', '/v1/auth/verify-email', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      token_type: 'bearer',
      user: { id: user.id, email_verified: true, credits: 100 },
    });
    const me = await api.request('GET', '/v1/auth/me', { token: verified.body.access_token });
    expect(me.body.credits).toBe(100);

    // The link is single use; a second one (resend) is dead too once the address is verified.
    const again = await api.request('POST', '/v1/auth/verify-email', { body: { token } });
    expect([again.status, again.body.error.code]).toEqual([400, 'invalid_link']);
    const ledger = await getDb()
      .selectFrom('credit_ledger')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    expect(ledger.map((l) => [l.reason, l.amount, l.balance_after])).toEqual([['signup_bonus', 100, 100]]);
    expect(await ledgerMatchesBalance(user.id)).toEqual({ balance: 100, ledger: 100 });
    // Now the password signs in.
    const login = await api.request('POST', '/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    expect(login.status).toBe(200);
  });

  it('grants the credits once when two verification links race', async () => {
    const user = await registerUser(api, { verified: false });
    const first = linkToken(await lastMailTo(user.email));
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.request('POST', '/v1/auth/verify-email', { body: { token: first } }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(await ledgerMatchesBalance(user.id)).toEqual({ balance: 100, ledger: 100 });
  });

  it('refuses an expired, unknown or malformed link', async () => {
    const user = await registerUser(api, { verified: false });
    const token = linkToken(await lastMailTo(user.email));
    await getDb()
      .updateTable('email_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .execute();
    for (const body of [{ token }, { token: 'x'.repeat(43) }]) {
      const res = await api.request('POST', '/v1/auth/verify-email', { body });
      expect([res.status, res.body.error.code]).toEqual([400, 'invalid_link']);
    }
    const bad = await api.request('POST', '/v1/auth/verify-email', {
      body: { token: '../../etc/passwd\u0000' },
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    expect((await api.request('GET', '/v1/auth/me', { token: user.accessToken })).body.credits).toBe(0);
  });

  it('lets unverified accounts browse, like, comment and upload, but not spend credits (403 first)', async () => {
    const user = await registerUser(api, { verified: false });
    const owner = await registerUser(api);
    const [videoId] = await seedReadyVideos(owner.id, 1);
    expect((await api.request('GET', `/v1/videos/${videoId}`, { token: user.accessToken })).status).toBe(200);
    expect(
      (await api.request('POST', `/v1/likes/videos/${videoId}`, { token: user.accessToken })).status,
    ).toBe(200);
    const comment = await api.request('POST', `/v1/comments/videos/${videoId}`, {
      token: user.accessToken,
      body: { body: 'first!' },
    });
    expect(comment.status).toBe(201);
    const upload = await api.request('POST', '/v1/videos/upload-url', {
      token: user.accessToken,
      body: { content_type: 'video/mp4', size_bytes: 1000 },
    });
    expect(upload.status).toBe(201);

    const before = await getDb().selectFrom('ai_jobs').select('id').where('user_id', '=', user.id).execute();
    for (const [path, body] of [
      ['/v1/ai/music', { prompt: 'lofi beats' }],
      ['/v1/ai/template', { image_asset_id: crypto.randomUUID(), prompt: 'make it move' }],
      [
        '/v1/ai/glitch/animate',
        {
          source_video_id: videoId,
          selection_id: crypto.randomUUID(),
          character_image_id: crypto.randomUUID(),
        },
      ],
    ] as const) {
      const res = await api.request('POST', path, { token: user.accessToken, body });
      expect([path, res.status, res.body.error.code]).toEqual([path, 403, 'email_unverified']);
    }
    // Refused before anything happened: no job, no ledger row.
    expect(await getDb().selectFrom('ai_jobs').select('id').where('user_id', '=', user.id).execute()).toEqual(
      before,
    );
    expect(
      await getDb().selectFrom('credit_ledger').select('id').where('user_id', '=', user.id).execute(),
    ).toEqual([]);
  });

  it('rate-limits resending (one a minute, five a day) and mails in Korean for ko', async () => {
    const s = uniqueSuffix();
    const email = `ko_${s}@example.test`;
    const reg = await api.request('POST', '/v1/auth/register', {
      headers: { 'accept-language': 'ko-KR,ko;q=0.9,en-US;q=0.8' },
      body: { email, username: `ko_${s}`, password: 'glitch-me-please-7' },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.user.locale).toBe('ko');
    expect((await lastMailTo(email))!.subject).toBe('LOKIZ 이메일 주소를 인증해 주세요');
    const resend = () =>
      api.request('POST', '/v1/auth/verify-email/resend', { token: reg.body.access_token });
    const tooSoon = await resend();
    expect([tooSoon.status, tooSoon.body.error.code]).toEqual([429, 'too_many_requests']);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0);
    const aMinuteLater = () =>
      sql`UPDATE email_tokens SET created_at = created_at - interval '2 minutes' WHERE user_id = ${reg.body.user.id}`.execute(
        getDb(),
      );
    for (let i = 0; i < 4; i++) {
      await aMinuteLater();
      expect((await resend()).status).toBe(202);
    }
    await aMinuteLater();
    const daily = await resend();
    expect(daily.status).toBe(429);
    expect((await readOutbox(email)).length).toBe(5);
    // Any of the links verifies; the others die with it.
    await verifyUser(api, email);
    const verifiedResend = await resend();
    expect([verifiedResend.status, verifiedResend.body.error.code]).toEqual([409, 'already_verified']);
  });
});
