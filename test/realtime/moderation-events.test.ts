import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client.ts';
import type { LiveEvent } from '../../shared/realtime/protocol.ts';
import { registerUser, type TestUser } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { useLive } from '../harness/live.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { seedReadyVideos } from '../harness/seed.ts';

useLocalMedia();
const api = useApi();
const live = useLive(api);

async function staff(role: 'moderator' | 'admin'): Promise<TestUser> {
  const user = await registerUser(api);
  await getDb().updateTable('users').set({ role }).where('id', '=', user.id).execute();
  return user;
}

const reportVideo = async (by: TestUser, videoId: string) => {
  const res = await api.request('POST', '/v1/reports', {
    token: by.accessToken,
    body: { target_type: 'video', target_id: videoId, reason: 'spam' },
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body.id as string;
};

const openedFor = (videoId: string) => (m: { type: string }) =>
  m.type === 'moderation.report_opened' &&
  (m as LiveEvent<'moderation.report_opened'>).data.target_id === videoId;

describe('moderators hear of new reports live', () => {
  it('the first report of a target reaches every moderator and admin; later ones and other people get nothing', async () => {
    const [moderator, admin] = [await staff('moderator'), await staff('admin')];
    const [owner, reporter, another] = [
      await registerUser(api),
      await registerUser(api),
      await registerUser(api),
    ];
    const [videoId] = await seedReadyVideos(owner.id, 1);
    const sockets = {
      moderator: await live.connect(moderator.accessToken),
      admin: await live.connect(admin.accessToken),
      reporter: await live.connect(reporter.accessToken),
      owner: await live.connect(owner.accessToken),
    };

    const first = await reportVideo(reporter, videoId!);
    for (const socket of [sockets.moderator, sockets.admin]) {
      const event = await socket.next<LiveEvent<'moderation.report_opened'>>(openedFor(videoId!));
      expect(event.data).toEqual({
        report_id: first,
        target_type: 'video',
        target_id: videoId,
        reason: 'spam',
      });
    }
    // A second reporter joins the open entry; the first reporter repeating theirs files nothing.
    await reportVideo(another, videoId!);
    await reportVideo(reporter, videoId!);
    await live.settle();
    for (const socket of [sockets.moderator, sockets.admin]) {
      expect(socket.messages.filter(openedFor(videoId!))).toHaveLength(1);
    }
    // Neither the reporter nor the reported person is told.
    expect(sockets.reporter.messages.filter((m) => m.type === 'moderation.report_opened')).toEqual([]);
    expect(sockets.owner.messages.filter((m) => m.type === 'moderation.report_opened')).toEqual([]);
  });
});
