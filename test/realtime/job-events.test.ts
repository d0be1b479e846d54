import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../shared/realtime/protocol.ts';
import { startGlitch } from '../harness/ai.ts';
import { useLocalAi } from '../harness/ai-stack.ts';
import { registerUser, type TestUser } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { useLive } from '../harness/live.ts';
import { useLocalMedia } from '../harness/media-stack.ts';

const media = useLocalMedia();
const api = useApi();
const ai = useLocalAi(api, media);
const live = useLive(api);

async function withDevice(user: TestUser): Promise<string> {
  const token = randomBytes(32).toString('hex');
  const res = await api.request('POST', '/v1/notifications/devices', {
    token: user.accessToken,
    body: { platform: 'ios', token },
  });
  expect(res.status).toBe(201);
  return token;
}

const pushesTo = (token: string) => live.live.sns.sent.filter((p) => p.token === token).map((p) => p.body);

const jobUpdate = (jobId: string) => (m: { type: string }) =>
  m.type === 'ai_job.updated' && (m as LiveEvent<'ai_job.updated'>).data.job_id === jobId;

describe('AI jobs over the live stream', () => {
  it('the glitch-done event arrives live and as a push; the source’s owner hears of the glitch', async () => {
    const creator = await registerUser(api);
    const remixer = await registerUser(api);
    const remixerPhone = await withDevice(remixer);
    const creatorPhone = await withDevice(creator);
    const remixerSocket = await live.connect(remixer.accessToken);
    const creatorSocket = await live.connect(creator.accessToken);

    const jobId = await startGlitch(api, media, creator, remixer);
    const done = await remixerSocket.next<LiveEvent<'ai_job.updated'>>(
      (m) => jobUpdate(jobId)(m) && (m as LiveEvent<'ai_job.updated'>).data.result === 'ready',
    );
    expect(done.data).toEqual({ job_id: jobId, status: 'succeeded', result: 'ready' });
    // When the event says ready, HTTP says so too: no polling needed.
    const job = await api.request('GET', `/v1/ai/jobs/${jobId}`, { token: remixer.accessToken });
    expect(job.body).toMatchObject({ status: 'succeeded', result_video_status: 'ready' });

    // Progress, then the result; not necessarily every step, nor in order. Each invocation wakes
    // fan-out as it ends, so a webhook's `processing` can overtake the dispatcher's `starting` (its
    // batch ends after the stand-in has called back), or record itself first, leaving the dispatcher
    // no transition to announce (dispatch.ts markStarted). Under load both happen.
    await remixerSocket.next(
      (m) => jobUpdate(jobId)(m) && (m as LiveEvent<'ai_job.updated'>).data.result === 'pending',
    );
    const steps = remixerSocket
      .events('ai_job.updated')
      .filter(jobUpdate(jobId))
      .map((e) => `${e.data.status}/${e.data.result}`);
    expect(steps.filter((s) => s === 'starting/none' || s === 'processing/none').length).toBeGreaterThan(0);
    const known = ['starting/none', 'processing/none', 'succeeded/pending', 'succeeded/ready'];
    expect(steps.filter((s) => !known.includes(s))).toEqual([]);

    const glitchNews = await creatorSocket.next<LiveEvent<'notification.created'>>(
      (m) => m.type === 'notification.created',
    );
    expect(glitchNews.data.notification_type).toBe('glitch');
    // The creator is told about the glitch, not about the remixer's job.
    expect(creatorSocket.events('ai_job.updated')).toEqual([]);

    await ai.settle();
    await live.settle();
    expect(pushesTo(remixerPhone)).toEqual(['Your glitch is ready']);
    expect(pushesTo(creatorPhone)).toEqual([`@${remixer.username} glitched your video`]);
  });

  it('a failed job tells its owner, live and as a push, that it failed and was refunded', async () => {
    const creator = await registerUser(api);
    const remixer = await registerUser(api);
    const phone = await withDevice(remixer);
    const socket = await live.connect(remixer.accessToken);
    ai.standIn.faults.failNextPredictions(1, 'CUDA out of memory');
    try {
      const jobId = await startGlitch(api, media, creator, remixer);
      const failed = await socket.next<LiveEvent<'ai_job.updated'>>(
        (m) => jobUpdate(jobId)(m) && (m as LiveEvent<'ai_job.updated'>).data.status === 'failed',
      );
      expect(failed.data.result).toBe('none');
    } finally {
      ai.standIn.faults.reset();
    }
    await ai.settle();
    await live.settle();
    expect(pushesTo(phone)).toEqual(['Your glitch could not be made; its credits were refunded']);
  });
});
