import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client.ts';
import { headObject, s3Client, s3Sdk } from '../../shared/storage/s3.ts';
import { adjustUserVideoCount } from '../../shared/videos/repository.ts';
import { ledgerMatchesBalance, selectRange, setCredits, uploadCharacterImage } from '../harness/ai.ts';
import { linkGlitchTo } from '../harness/consistent-writes.ts';
import { registerUser, type TestUser } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { backendPid, untilBlockedBy } from '../harness/locks.ts';
import { makeTestVideo } from '../harness/media.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { seedReadyVideos } from '../harness/seed.ts';
import { uploadVideo } from '../harness/videos.ts';
import { useInvariants } from '../reliability/harness.ts';

const media = useLocalMedia();
const api = useApi();
const invariants = useInvariants();
// Job requests are refused before anything is queued; none may reach a queue here.
delete process.env.AI_JOBS_QUEUE_URL;

let owner: TestUser;
let remixer: TestUser;
let video: string;

beforeAll(async () => {
  owner = await registerUser(api);
  remixer = await registerUser(api);
  invariants.track(owner.id, remixer.id);
  await setCredits(remixer.id, 200);
  video = await ownerClip(2);
}, 120_000);

/** A short clip of the owner's, through the upload pipeline. */
async function ownerClip(seconds: number) {
  return uploadVideo(api, media, owner, await makeTestVideo({ seconds, width: 320, height: 180 }));
}

const patchVideo = (body: unknown) =>
  api.request('PATCH', `/v1/videos/${video}`, { token: owner.accessToken, body });

async function spendState(user: TestUser) {
  const jobs = await getDb().selectFrom('ai_jobs').select('id').where('user_id', '=', user.id).execute();
  return { ...(await ledgerMatchesBalance(user.id)), jobs: jobs.length };
}

describe('remix consent', () => {
  it('new uploads take the owner defaults (on unless turned off); each video can change its own', async () => {
    const settings = await api.request('GET', '/v1/safety/settings', { token: owner.accessToken });
    expect(settings.body).toEqual({
      default_allow_glitches: true,
      default_allow_frame_capture: true,
      exclude_ai: false,
    });
    expect((await api.request('GET', `/v1/videos/${video}`)).body).toMatchObject({
      allow_glitches: true,
      allow_frame_capture: true,
      ai_generated: false,
      ai_model: null,
    });

    const shy = await registerUser(api);
    invariants.track(shy.id);
    const changed = await api.request('PATCH', '/v1/safety/settings', {
      token: shy.accessToken,
      body: { default_allow_glitches: false },
    });
    expect(changed.body).toEqual({
      default_allow_glitches: false,
      default_allow_frame_capture: true,
      exclude_ai: false,
    });
    const upload = await api.request('POST', '/v1/videos/upload-url', {
      token: shy.accessToken,
      body: { content_type: 'video/mp4', size_bytes: 1000 },
    });
    expect(upload.status).toBe(201);
    const row = await getDb()
      .selectFrom('videos')
      .select(['allow_glitches', 'allow_frame_capture'])
      .where('id', '=', upload.body.video_id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ allow_glitches: false, allow_frame_capture: true });
    const bad = await api.request('PATCH', '/v1/safety/settings', { token: shy.accessToken, body: {} });
    expect(bad.status).toBe(400);
    // Someone else's video: 404 as ever.
    const foreign = await api.request('PATCH', `/v1/videos/${video}`, {
      token: shy.accessToken,
      body: { allow_glitches: false },
    });
    expect(foreign.status).toBe(404);
  });

  it('a glitch of a video that does not allow it is 403 before any credit is spent; the owner may still', async () => {
    const selection = await selectRange(api, remixer, video, 0, 1500);
    const character = await uploadCharacterImage(api, remixer);
    expect((await patchVideo({ allow_glitches: false })).body.allow_glitches).toBe(false);
    const before = await spendState(remixer);
    const res = await api.request('POST', '/v1/ai/glitch/animate', {
      token: remixer.accessToken,
      body: { source_video_id: video, selection_id: selection, character_image_id: character },
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'remix_not_allowed',
      details: { video_id: video, consent: 'allow_glitches' },
    });
    expect(await spendState(remixer)).toEqual(before);
    expect(before.balance).toBe(200);
    await patchVideo({ allow_glitches: true });
  });

  it('frame capture needs allow_frame_capture, also when a frame taken earlier is used for a template', async () => {
    const capture = () =>
      api.request('POST', '/v1/ai/capture-frame', {
        token: remixer.accessToken,
        body: { video_id: video, at_ms: 500 },
      });
    const frame = await capture();
    expect(frame.status).toBe(201);
    await patchVideo({ allow_frame_capture: false });
    const refused = await capture();
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('remix_not_allowed');
    // The owner still may.
    const own = await api.request('POST', '/v1/ai/capture-frame', {
      token: owner.accessToken,
      body: { video_id: video, at_ms: 500 },
    });
    expect(own.status).toBe(201);

    const before = await spendState(remixer);
    const template = await api.request('POST', '/v1/ai/template', {
      token: remixer.accessToken,
      body: { image_asset_id: frame.body.asset_id, prompt: 'neon trickster dance' },
    });
    expect(template.status).toBe(403);
    expect(template.body.error).toMatchObject({
      code: 'remix_not_allowed',
      details: { video_id: video, consent: 'allow_frame_capture' },
    });
    expect(await spendState(remixer)).toEqual(before);
    await patchVideo({ allow_frame_capture: true });
  });

  it('a frame goes with its video: unusable while the video is private, deleted (object and row) with it', async () => {
    const clip = await ownerClip(1);
    const capture = async (user: TestUser) => {
      const res = await api.request('POST', '/v1/ai/capture-frame', {
        token: user.accessToken,
        body: { video_id: clip, at_ms: 200 },
      });
      expect(res.status).toBe(201);
      return res.body.asset_id as string;
    };
    const useFrame = (assetId: string) =>
      api.request('POST', '/v1/ai/template', {
        token: remixer.accessToken,
        body: { image_asset_id: assetId, prompt: 'neon trickster dance' },
      });
    const frames = [await capture(remixer), await capture(remixer), await capture(owner)];
    const keys = (
      await getDb().selectFrom('media_assets').select('object_key').where('id', 'in', frames).execute()
    ).map((r) => r.object_key);
    expect(keys).toHaveLength(3);

    // Made private: not the remixer's to see any more, so not theirs to remix either.
    const before = await spendState(remixer);
    await api.request('PATCH', `/v1/videos/${clip}`, {
      token: owner.accessToken,
      body: { visibility: 'private' },
    });
    const hidden = await useFrame(frames[0]!);
    expect([hidden.status, hidden.body.error]).toEqual([
      422,
      expect.objectContaining({ code: 'frame_source_unavailable', details: { video_id: clip } }),
    ]);
    expect(await spendState(remixer)).toEqual(before);

    // A frame whose video row was purged before frames were deleted with it (its link set to null).
    await getDb()
      .updateTable('media_assets')
      .set({ source_video_id: null })
      .where('id', '=', frames[1]!)
      .execute();
    const orphan = await useFrame(frames[1]!);
    expect([orphan.status, orphan.body.error.code]).toEqual([422, 'frame_source_unavailable']);

    // Deleted: every frame captured from it goes, the owner's own too, objects and rows.
    const deleted = await api.request('DELETE', `/v1/videos/${clip}`, { token: owner.accessToken });
    expect(deleted.status).toBe(204);
    for (const key of keys.filter((_, i) => i !== 1)) expect(await headObject(key), key).toBeNull();
    const left = await getDb()
      .selectFrom('media_assets')
      .select('id')
      .where('source_video_id', '=', clip)
      .execute();
    expect(left).toEqual([]);
    const gone = await useFrame(frames[0]!);
    expect([gone.status, gone.body.error.code]).toEqual([404, 'not_found']);
    expect(await spendState(remixer)).toEqual(before);
  });

  it('a frame captured while its video is deleted is not kept', async () => {
    const clip = await ownerClip(1);
    const db = getDb();
    let capture: ReturnType<typeof api.request<{ error: { code: string } }>> | undefined;
    await db.transaction().execute(async (trx) => {
      // The owner's deletion (as delete-video's transaction does it) has not committed yet when
      // the frame is recorded.
      await trx.updateTable('videos').set({ deleted_at: sql`now()` }).where('id', '=', clip).execute();
      await adjustUserVideoCount(trx, owner.id, -1);
      const holder = await backendPid(trx);
      capture = api.request('POST', '/v1/ai/capture-frame', {
        token: remixer.accessToken,
        body: { video_id: clip, at_ms: 200 },
      });
      await untilBlockedBy(db, holder, 'the capture');
    });
    const res = await capture!;
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
    const rows = await db
      .selectFrom('media_assets')
      .select('id')
      .where('source_video_id', '=', clip)
      .execute();
    expect(rows).toEqual([]);
    const s3 = await s3Client();
    const { ListObjectsV2Command } = await s3Sdk();
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: media.bucket, Prefix: `assets/${remixer.id}/` }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key);
    const known = (
      await db.selectFrom('media_assets').select('object_key').where('owner_id', '=', remixer.id).execute()
    ).map((r) => r.object_key);
    // Every frame object of the remixer's belongs to a recorded asset: the refused one was deleted.
    expect(keys.filter((k) => !known.includes(k!))).toEqual([]);
  });

  it("the source's owner detaches a glitch: no longer listed or pointing at it, counts exact; nobody else can", async () => {
    const [source] = await seedReadyVideos(owner.id, 1);
    const [glitch, grandchild] = await seedReadyVideos(remixer.id, 2);
    await linkGlitchTo(glitch!, source!);
    await linkGlitchTo(grandchild!, glitch!);
    const listed = () => api.request('GET', `/v1/glitch/videos/${source}/glitches`);
    expect((await listed()).body.items.map((v: { id: string }) => v.id)).toEqual([glitch]);
    const path = `/v1/glitch/videos/${source}/glitches/${glitch}`;
    expect((await api.request('DELETE', path, { token: remixer.accessToken })).status).toBe(404);

    expect((await api.request('DELETE', path, { token: owner.accessToken })).status).toBe(204);
    expect((await listed()).body.items).toEqual([]);
    expect((await api.request('GET', `/v1/videos/${source}`)).body.glitch_count).toBe(0);
    const detached = await api.request('GET', `/v1/videos/${glitch}`);
    expect(detached.body.glitch_of).toBeNull();
    expect((await api.request('GET', `/v1/glitch/videos/${glitch}/source`)).body).toMatchObject({
      depth: 0,
      parent: null,
      root: null,
    });
    // Its own glitch now starts its chain at it.
    const link = await getDb()
      .selectFrom('video_glitches')
      .select(['root_video_id', 'depth'])
      .where('glitch_video_id', '=', grandchild!)
      .executeTakeFirstOrThrow();
    expect(link).toEqual({ root_video_id: glitch, depth: 1 });
    expect((await api.request('DELETE', path, { token: owner.accessToken })).status).toBe(404);
  });
});
