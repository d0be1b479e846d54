import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { ledgerMatchesBalance, selectRange, setCredits, uploadCharacterImage } from '../../harness/ai.ts';
import { useLocalAi } from '../../harness/ai-stack.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { uploadVideo } from '../../harness/videos.ts';

const media = useLocalMedia();
const api = useApi();
const ai = useLocalAi(api, media);

async function glitchSetup(remixer: TestUser) {
  const creator = await registerUser(api);
  const sourceId = await uploadVideo(
    api,
    media,
    creator,
    await makeTestVideo({ seconds: 3, width: 320, height: 240 }),
  );
  const selectionId = await selectRange(api, remixer, sourceId, 0, 2000);
  const characterId = await uploadCharacterImage(api, remixer);
  return { creator, sourceId, selectionId, characterId };
}

describe('credits', () => {
  it('refuses a job the balance cannot pay for with 402 and the balance, creating nothing', async () => {
    const user = await registerUser(api);
    const { sourceId, selectionId, characterId } = await glitchSetup(user);
    await setCredits(user.id, 29);
    const res = await api.request('POST', '/v1/ai/glitch/replace', {
      token: user.accessToken,
      body: { source_video_id: sourceId, selection_id: selectionId, character_image_id: characterId },
    });
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({
      code: 'insufficient_credits',
      details: { balance: 29, required: 30 },
    });
    const jobs = await getDb().selectFrom('ai_jobs').select('id').where('user_id', '=', user.id).execute();
    expect(jobs).toHaveLength(0);
    expect(await ledgerMatchesBalance(user.id)).toEqual({ balance: 29, ledger: 29 });
  });

  it('accepts exactly 3 of 50 concurrent 30-credit requests on a 100-credit balance', async () => {
    const user = await registerUser(api);
    const { sourceId, selectionId, characterId } = await glitchSetup(user);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.request('POST', '/v1/ai/glitch/animate', {
          token: user.accessToken,
          body: { source_video_id: sourceId, selection_id: selectionId, character_image_id: characterId },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(3);
    expect(statuses.filter((s) => s === 402)).toHaveLength(47);
    expect(await ledgerMatchesBalance(user.id)).toEqual({ balance: 10, ledger: 10 });
    const jobs = await getDb().selectFrom('ai_jobs').select('id').where('user_id', '=', user.id).execute();
    expect(jobs).toHaveLength(3);
    await ai.settle();
  });
});

describe('glitch requests that must be refused', () => {
  it('private, deleted, not-ready or missing sources, foreign selections and images', async () => {
    const user = await registerUser(api);
    const { creator, sourceId, selectionId, characterId } = await glitchSetup(user);
    const body = (over: Record<string, string>) => ({
      source_video_id: sourceId,
      selection_id: selectionId,
      character_image_id: characterId,
      ...over,
    });
    const post = (b: unknown) =>
      api.request('POST', '/v1/ai/glitch/animate', { token: user.accessToken, body: b });

    const [privateId] = await seedReadyVideos(creator.id, 1, { visibility: 'private' });
    expect((await post(body({ source_video_id: privateId! }))).status).toBe(404);
    expect((await post(body({ source_video_id: '6f1c0b57-8a2e-4a38-a6a5-0d6b3a1c9e11' }))).status).toBe(404);

    // A selection made of another video does not fit this source.
    const [otherId] = await seedReadyVideos(creator.id, 1);
    expect((await post(body({ source_video_id: otherId! }))).status).toBe(404);

    const stranger = await registerUser(api);
    const strangersImage = await uploadCharacterImage(api, stranger);
    expect((await post(body({ character_image_id: strangersImage }))).status).toBe(404);

    const notUploaded = await api.request('POST', '/v1/ai/character-images/upload-url', {
      token: user.accessToken,
      body: { content_type: 'image/png', size_bytes: 100 },
    });
    const res = await post(body({ character_image_id: notUploaded.body.asset_id }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('image_not_uploaded');

    const mine = await api.request('POST', '/v1/videos/upload-url', {
      token: user.accessToken,
      body: { content_type: 'video/mp4', size_bytes: 1000 },
    });
    expect((await post(body({ source_video_id: mine.body.video_id }))).status).toBe(409);

    await api.request('DELETE', `/v1/videos/${sourceId}`, { token: creator.accessToken });
    expect((await post(body({}))).status).toBe(404);
    expect((await api.request('POST', '/v1/ai/glitch/animate', { body: body({}) })).status).toBe(401);
    expect((await post({ ...body({}), cost: 0 })).status).toBe(400);

    // Nothing was charged for any of it.
    expect(await ledgerMatchesBalance(user.id)).toEqual({ balance: 100, ledger: 100 });
  });
});

describe('jobs API', () => {
  it("another user's job is a 404; the owner lists, reads and cancels (refund) their own", async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    // Long enough that the job is still running when the owner cancels it, on a loaded machine
    // too (every signed-in request now also checks its session in the database).
    ai.standIn.faults.delayMs = 5000;
    try {
      const created = await api.request('POST', '/v1/ai/music', {
        token: user.accessToken,
        body: { prompt: 'lo-fi trickster beat' },
      });
      expect(created.status).toBe(202);
      expect(created.body.cost).toBe(5);
      const id = created.body.id;
      expect((await api.request('GET', `/v1/ai/jobs/${id}`, { token: other.accessToken })).status).toBe(404);
      expect(
        (await api.request('POST', `/v1/ai/jobs/${id}/cancel`, { token: other.accessToken })).status,
      ).toBe(404);
      const list = await api.request('GET', '/v1/ai/jobs', { token: user.accessToken });
      expect(list.body.items.map((j: { id: string }) => j.id)).toEqual([id]);

      const canceled = await api.request('POST', `/v1/ai/jobs/${id}/cancel`, { token: user.accessToken });
      expect(canceled.status).toBe(200);
      expect(canceled.body.status).toBe('canceled');
      const again = await api.request('POST', `/v1/ai/jobs/${id}/cancel`, { token: user.accessToken });
      expect(again.status).toBe(409);
    } finally {
      ai.standIn.faults.delayMs = 0;
    }
    await ai.settle();
    // Replicate's own `canceled` webhook afterwards changes nothing: one refund only.
    expect(await ledgerMatchesBalance(user.id)).toEqual({ balance: 100, ledger: 100 });
    const refunds = await getDb()
      .selectFrom('credit_ledger')
      .select('id')
      .where('user_id', '=', user.id)
      .where('reason', '=', 'job_refund')
      .execute();
    expect(refunds).toHaveLength(1);
  });

  it('music ends with a playable audio URL; template with a new video', async () => {
    const user = await registerUser(api);
    const music = await api.request('POST', '/v1/ai/music', {
      token: user.accessToken,
      body: { prompt: 'glitchy synthwave' },
    });
    const creator = await registerUser(api);
    const sourceId = await uploadVideo(
      api,
      media,
      creator,
      await makeTestVideo({ seconds: 2, width: 320, height: 240 }),
    );
    const frame = await api.request('POST', '/v1/ai/capture-frame', {
      token: user.accessToken,
      body: { video_id: sourceId, at_ms: 500 },
    });
    expect(frame.status).toBe(201);
    expect(frame.body.credits_spent).toBe(0);
    const jpeg = new Uint8Array(await (await fetch(frame.body.url)).arrayBuffer());
    expect([...jpeg.slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const template = await api.request('POST', '/v1/ai/template', {
      token: user.accessToken,
      body: { image_asset_id: frame.body.asset_id, prompt: 'make it vaporwave' },
    });
    expect(template.status).toBe(202);
    expect(template.body.cost).toBe(20);
    await ai.settle();

    const musicJob = await api.request('GET', `/v1/ai/jobs/${music.body.id}`, { token: user.accessToken });
    expect(musicJob.body.status).toBe('succeeded');
    const audio = await fetch(musicJob.body.audio_url);
    expect(audio.status).toBe(200);
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(100);
    const templateJob = await api.request('GET', `/v1/ai/jobs/${template.body.id}`, {
      token: user.accessToken,
    });
    expect(templateJob.body).toMatchObject({ status: 'succeeded', result_video_status: 'ready' });
    const video = await api.request('GET', `/v1/videos/${templateJob.body.result_video_id}`);
    expect(video.body).toMatchObject({ origin: 'template', glitch_of: null, caption: 'make it vaporwave' });
    expect(await ledgerMatchesBalance(user.id)).toEqual({ balance: 75, ledger: 75 });
  });

  it('capture-frame rejects times past the end and videos the caller cannot see', async () => {
    const user = await registerUser(api);
    const creator = await registerUser(api);
    const [privateId] = await seedReadyVideos(creator.id, 1, { visibility: 'private' });
    const hidden = await api.request('POST', '/v1/ai/capture-frame', {
      token: user.accessToken,
      body: { video_id: privateId, at_ms: 0 },
    });
    expect(hidden.status).toBe(404);
    const sourceId = await uploadVideo(
      api,
      media,
      creator,
      await makeTestVideo({ seconds: 1, width: 320, height: 240 }),
    );
    const late = await api.request('POST', '/v1/ai/capture-frame', {
      token: user.accessToken,
      body: { video_id: sourceId, at_ms: 60_000 },
    });
    expect(late.status).toBe(422);
    expect(
      (await api.request('POST', '/v1/ai/capture-frame', { body: { video_id: sourceId, at_ms: 0 } })).status,
    ).toBe(401);
  });
});
