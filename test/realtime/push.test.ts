import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_DEVICE_TOKEN_CHARS } from '../../functions/notifications/schemas.ts';
import { resetEnvCache } from '../../shared/config/env.ts';
import { getDb } from '../../shared/db/client.ts';
import { MAX_DEVICES_PER_USER } from '../../shared/push/service.ts';
import { registerUser, type TestUser } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { useLive } from '../harness/live.ts';
import { seedReadyVideos } from '../harness/seed.ts';

const api = useApi();
const live = useLive(api);

const apnsToken = () => randomBytes(32).toString('hex');
const fcmToken = () =>
  `${randomBytes(11).toString('base64url')}:APA91b${randomBytes(100).toString('base64url')}`;

async function registerDevice(user: TestUser, platform: 'ios' | 'android', token: string) {
  return api.request('POST', '/v1/notifications/devices', {
    token: user.accessToken,
    body: { platform, token },
  });
}

/** Pushes the stand-in recorded for a device token since the test began. */
const pushesTo = (token: string) => live.live.sns.sent.filter((p) => p.token === token);

async function ownerWithDevice() {
  const owner = await registerUser(api);
  const token = apnsToken();
  const res = await registerDevice(owner, 'ios', token);
  expect(res.status).toBe(201);
  const [videoId] = await seedReadyVideos(owner.id, 1);
  return { owner, token, deviceId: res.body.id as string, videoId: videoId! };
}

describe('devices', () => {
  it('registers a device token once (idempotent), and unregisters it', async () => {
    const user = await registerUser(api);
    const token = apnsToken();
    const first = await registerDevice(user, 'ios', token);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), platform: 'ios', created_at: expect.any(String) });
    const again = await registerDevice(user, 'ios', token);
    expect(again.body.id).toBe(first.body.id);
    const endpoints = [...live.live.sns.endpoints.values()].filter((e) => e.token === token);
    expect(endpoints).toHaveLength(1);
    const android = await registerDevice(user, 'android', fcmToken());
    expect(android.status).toBe(201);

    const other = await registerUser(api);
    const notYours = await api.request('DELETE', `/v1/notifications/devices/${first.body.id}`, {
      token: other.accessToken,
    });
    expect(notYours.status).toBe(404);
    const gone = await api.request('DELETE', `/v1/notifications/devices/${first.body.id}`, {
      token: user.accessToken,
    });
    expect(gone.status).toBe(204);
    expect([...live.live.sns.endpoints.values()].some((e) => e.token === token)).toBe(false);
    expect(
      (await api.request('DELETE', `/v1/notifications/devices/${first.body.id}`, { token: user.accessToken }))
        .status,
    ).toBe(404);
  });

  it('rejects bad device registrations with 4xx and changes nothing', async () => {
    const user = await registerUser(api);
    const bad = [
      { platform: 'ios', token: '' },
      { platform: 'ios', token: 'abc\u0000def0123' },
      { platform: 'ios', token: 'a'.repeat(MAX_DEVICE_TOKEN_CHARS + 1) },
      { platform: 'windows', token: apnsToken() },
      { platform: 'ios' },
    ];
    for (const body of bad) {
      const res = await api.request('POST', '/v1/notifications/devices', { token: user.accessToken, body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const anonymous = { platform: 'ios', token: apnsToken() };
    expect((await api.request('POST', '/v1/notifications/devices', { body: anonymous })).status).toBe(401);
    const rows = await getDb()
      .selectFrom('push_devices')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('answers 503 push_not_configured for a platform without an SNS platform application', async () => {
    const user = await registerUser(api);
    const arn = process.env.PUSH_FCM_APPLICATION_ARN;
    delete process.env.PUSH_FCM_APPLICATION_ARN;
    resetEnvCache();
    try {
      const res = await registerDevice(user, 'android', fcmToken());
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('push_not_configured');
    } finally {
      process.env.PUSH_FCM_APPLICATION_ARN = arn;
      resetEnvCache();
    }
  });

  it(`keeps ${MAX_DEVICES_PER_USER} devices per account: one more forgets the oldest and its endpoint`, async () => {
    const user = await registerUser(api);
    const tokens = Array.from({ length: MAX_DEVICES_PER_USER + 1 }, () => apnsToken());
    for (const token of tokens) expect((await registerDevice(user, 'ios', token)).status).toBe(201);
    const rows = await getDb()
      .selectFrom('push_devices')
      .select('token')
      .where('user_id', '=', user.id)
      .execute();
    expect(rows.map((r) => r.token).sort()).toEqual(tokens.slice(1).sort());
    const known = new Set([...live.live.sns.endpoints.values()].map((e) => e.token));
    expect(known.has(tokens[0]!)).toBe(false);
    expect(known.has(tokens[1]!)).toBe(true);
  });

  it('moves a token registered again by someone else to them', async () => {
    const { token, videoId } = await ownerWithDevice();
    const newOwner = await registerUser(api);
    expect((await registerDevice(newOwner, 'ios', token)).status).toBe(201);
    const fan = await registerUser(api);
    await api.request('POST', `/v1/comments/videos/${videoId}`, {
      token: fan.accessToken,
      body: { body: 'hey' },
    });
    await live.settle();
    // The comment is the old owner's news; the phone now belongs to someone else.
    expect(pushesTo(token)).toEqual([]);
    const device = await getDb().selectFrom('push_devices').selectAll().where('token', '=', token).execute();
    expect(device.map((d) => d.user_id)).toEqual([newOwner.id]);
  });
});

describe('preferences', () => {
  it('start all on, change one switch at a time, and refuse nonsense', async () => {
    const user = await registerUser(api);
    const defaults = await api.request('GET', '/v1/notifications/preferences', { token: user.accessToken });
    expect(defaults.body).toEqual({
      likes: true,
      comments: true,
      follows: true,
      glitches: true,
      ai_jobs: true,
    });
    const changed = await api.request('PATCH', '/v1/notifications/preferences', {
      token: user.accessToken,
      body: { likes: false },
    });
    expect(changed.body).toEqual({ ...defaults.body, likes: false });
    await api.request('PATCH', '/v1/notifications/preferences', {
      token: user.accessToken,
      body: { follows: false },
    });
    const read = await api.request('GET', '/v1/notifications/preferences', { token: user.accessToken });
    expect(read.body).toEqual({ ...defaults.body, likes: false, follows: false });
    for (const body of [{}, { likes: 'no' }, { likes: true, birthdays: true }]) {
      const res = await api.request('PATCH', '/v1/notifications/preferences', {
        token: user.accessToken,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('decide which notifications are pushed', async () => {
    const { owner, token, videoId } = await ownerWithDevice();
    await api.request('PATCH', '/v1/notifications/preferences', {
      token: owner.accessToken,
      body: { follows: false },
    });
    const fan = await registerUser(api);
    await api.request('POST', `/v1/follows/users/${owner.id}`, { token: fan.accessToken });
    await api.request('POST', `/v1/comments/videos/${videoId}`, {
      token: fan.accessToken,
      body: { body: 'wow' },
    });
    await live.settle();
    expect(pushesTo(token).map((p) => p.body)).toEqual([`@${fan.username} commented on your video`]);
  });
});

describe('pushes', () => {
  it('tell the device about a comment, with ids only and the event id as collapse id', async () => {
    const { owner, token, videoId } = await ownerWithDevice();
    const fan = await registerUser(api);
    const res = await api.request('POST', `/v1/comments/videos/${videoId}`, {
      token: fan.accessToken,
      body: { body: 'a secret comment body' },
    });
    await live.settle();
    const [push] = pushesTo(token);
    expect(push?.body).toBe(`@${fan.username} commented on your video`);
    const apns = JSON.parse(push!.message.APNS!);
    expect(apns).toEqual({
      aps: { alert: { title: 'LOKIZ', body: push!.body }, sound: 'default' },
      type: 'comment',
      notification_id: expect.any(String),
      video_id: videoId,
    });
    expect(JSON.stringify(push!.message)).not.toContain('secret');
    const event = await getDb()
      .selectFrom('event_outbox')
      .select('id')
      .where('recipient_id', '=', owner.id)
      .executeTakeFirstOrThrow();
    expect(push!.attributes['AWS.SNS.MOBILE.APNS.COLLAPSE_ID']).toBe(event.id);
    expect(JSON.parse(push!.message.GCM!).fcmV1Message.message.android.collapse_key).toBe(event.id);
    expect(res.status).toBe(201);
  });

  it('batch likes: one push for a window, counting the people who still like the video', async () => {
    const { owner, token, videoId } = await ownerWithDevice();
    const fans = await Promise.all(Array.from({ length: 13 }, () => registerUser(api)));
    for (const fan of fans) {
      expect(
        (await api.request('POST', `/v1/likes/videos/${videoId}`, { token: fan.accessToken })).status,
      ).toBe(200);
    }
    for (const fan of fans.slice(0, 2)) {
      await api.request('DELETE', `/v1/likes/videos/${videoId}`, { token: fan.accessToken });
    }
    // A like whose author is suspended meanwhile no longer counts either.
    const staff = await registerUser(api);
    await getDb().updateTable('users').set({ role: 'moderator' }).where('id', '=', staff.id).execute();
    const suspended = await api.request('POST', `/v1/moderation/users/${fans[2]!.id}/suspend`, {
      token: staff.accessToken,
      body: { reason: 'like farm' },
    });
    expect(suspended.status).toBe(200);
    await live.settle();
    expect(pushesTo(token)).toEqual([]);
    const windows = await getDb()
      .selectFrom('push_like_batches')
      .selectAll()
      .where('recipient_id', '=', owner.id)
      .execute();
    expect(windows).toHaveLength(1);
    expect(windows[0]!.sent_at).toBeNull();

    // The window is due: its delayed wake-up arrives (sent by the like that opened it).
    await getDb()
      .updateTable('push_like_batches')
      .set({ send_after: new Date(Date.now() - 1000) })
      .where('id', '=', windows[0]!.id)
      .execute();
    live.live.queue.send(JSON.stringify({ kind: 'like_batch', batch_id: windows[0]!.id }));
    live.live.queue.send(JSON.stringify({ kind: 'like_batch', batch_id: windows[0]!.id }));
    await live.settle();
    expect(pushesTo(token).map((p) => p.body)).toEqual(['10 people liked your video']);

    // The next like opens a new window.
    const late = await registerUser(api);
    await api.request('POST', `/v1/likes/videos/${videoId}`, { token: late.accessToken });
    await live.settle();
    const next = await getDb()
      .selectFrom('push_like_batches')
      .selectAll()
      .where('recipient_id', '=', owner.id)
      .where('sent_at', 'is', null)
      .executeTakeFirstOrThrow();
    await getDb()
      .updateTable('push_like_batches')
      .set({ send_after: new Date(Date.now() - 1000) })
      .where('id', '=', next.id)
      .execute();
    live.live.queue.send(JSON.stringify({ kind: 'like_batch', batch_id: next.id }));
    await live.settle();
    expect(pushesTo(token).map((p) => p.body)).toEqual([
      '10 people liked your video',
      `@${late.username} liked your video`,
    ]);
  });

  it('forget a device whose endpoint SNS reports disabled', async () => {
    const { owner, token, videoId } = await ownerWithDevice();
    live.live.sns.disable(token);
    const fan = await registerUser(api);
    await api.request('POST', `/v1/comments/videos/${videoId}`, {
      token: fan.accessToken,
      body: { body: 'hi' },
    });
    await live.settle();
    expect(pushesTo(token)).toEqual([]);
    expect(
      await getDb().selectFrom('push_devices').select('id').where('user_id', '=', owner.id).execute(),
    ).toEqual([]);
    expect([...live.live.sns.endpoints.values()].some((e) => e.token === token)).toBe(false);
    // Registering the token again (the app reinstalled) works and enables it.
    expect((await registerDevice(owner, 'ios', token)).status).toBe(201);
  });

  it('stop for the devices of a sign-in that signs out', async () => {
    const { owner, token } = await ownerWithDevice();
    const logout = await api.request('POST', '/v1/auth/logout', {
      body: { refresh_token: owner.refreshToken },
    });
    expect(logout.status).toBe(204);
    await live.settle();
    expect(
      await getDb().selectFrom('push_devices').select('id').where('user_id', '=', owner.id).execute(),
    ).toEqual([]);
    expect([...live.live.sns.endpoints.values()].some((e) => e.token === token)).toBe(false);
  });
});
