import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { headObject } from '../../../shared/storage/s3.ts';
import { ledgerMatchesBalance, selectRange, uploadCharacterImage } from '../../harness/ai.ts';
import { useLocalAi } from '../../harness/ai-stack.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';

const media = useLocalMedia();
const api = useApi();
const ai = useLocalAi(api, media);

describe('a glitch, end to end', () => {
  it("remixes a 3 s range of someone else's video into a new ready video, linked, notified, 30 credits", async () => {
    const creator = await registerUser(api);
    const remixer = await registerUser(api);
    const sourceId = await uploadVideo(
      api,
      media,
      creator,
      await makeTestVideo({ seconds: 5, width: 480, height: 270 }),
    );
    const selectionId = await selectRange(api, remixer, sourceId, 1000, 4000);
    const characterId = await uploadCharacterImage(api, remixer);

    const created = await api.request('POST', '/v1/ai/glitch/animate', {
      token: remixer.accessToken,
      body: {
        source_video_id: sourceId,
        selection_id: selectionId,
        character_image_id: characterId,
        caption: 'my #glitch',
      },
    });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ kind: 'glitch_animate', status: 'queued', cost: 30 });
    const me = await api.request('GET', '/v1/auth/me', { token: remixer.accessToken });
    expect(me.body.credits).toBe(70);

    await ai.settle();

    const job = await api.request('GET', `/v1/ai/jobs/${created.body.id}`, { token: remixer.accessToken });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ status: 'succeeded', result_video_status: 'ready', error: null });
    const glitchId = job.body.result_video_id;

    const glitch = await api.request('GET', `/v1/videos/${glitchId}`);
    expect(glitch.status).toBe(200);
    expect(glitch.body).toMatchObject({
      status: 'ready',
      origin: 'glitch',
      owner: { id: remixer.id },
      glitch_of: { video_id: sourceId, kind: 'animate', available: true },
      caption: 'my #glitch',
    });
    expect(glitch.body.duration_ms).toBeGreaterThan(0);
    // The model's output went through upload processing like any upload: a rendition under media/,
    // the original kept, the uploads/ inbox emptied.
    expect(glitch.body.video_url).toBe(`${api.url}/media/${glitchId}/1/play.mp4`);
    const row = await getDb()
      .selectFrom('videos')
      .selectAll()
      .where('id', '=', glitchId)
      .executeTakeFirstOrThrow();
    expect(await headObject(row.source_key)).toBeNull();
    expect(await headObject(row.original_key!)).not.toBeNull();
    const thumb = new Uint8Array(await (await fetch(glitch.body.thumbnail_url)).arrayBuffer());
    expect([...thumb.slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

    const feed = await api.request('GET', `/v1/videos?user_id=${remixer.id}`);
    expect(feed.body.items.map((v: { id: string }) => v.id)).toContain(glitchId);
    const chain = await api.request('GET', `/v1/glitch/videos/${sourceId}/glitches`);
    expect(chain.body.items.map((v: { id: string }) => v.id)).toEqual([glitchId]);
    const source = await api.request('GET', `/v1/glitch/videos/${glitchId}/source`);
    expect(source.body).toMatchObject({
      depth: 1,
      kind: 'animate',
      parent: { video_id: sourceId, available: true },
    });
    const sourceView = await api.request('GET', `/v1/videos/${sourceId}`);
    expect(sourceView.body.glitch_count).toBe(1);

    const notifications = await getDb()
      .selectFrom('notifications')
      .selectAll()
      .where('recipient_id', '=', creator.id)
      .where('type', '=', 'glitch')
      .execute();
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ actor_id: remixer.id, video_id: glitchId });

    expect(await ledgerMatchesBalance(remixer.id)).toEqual({ balance: 70, ledger: 70 });
    expect(ai.standIn.createCount).toBe(1);
  });
});
