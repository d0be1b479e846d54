import { beforeAll, describe, expect, it } from 'vitest';
import { hideVideo } from '../../harness/consistent-writes.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';
import { selectionsOf } from './helpers.ts';

const media = useLocalMedia();
const api = useApi();

/** The studio's video routes, each with a request that would succeed on a usable 2 s video. */
const ENDPOINTS = [
  ['timeline', 'GET', (id: string) => `/v1/studio/videos/${id}/timeline`, undefined],
  ['preview', 'GET', (id: string) => `/v1/studio/videos/${id}/preview?start_ms=0&end_ms=1000`, undefined],
  [
    'select-range',
    'POST',
    (id: string) => `/v1/studio/videos/${id}/select-range`,
    { start_ms: 0, end_ms: 1000 },
  ],
] as const;

let owner: TestUser;
let other: TestUser;
let privateVideo: string;
let deletedVideo: string;
let uploadingVideo: string;

async function startUpload(user: TestUser): Promise<string> {
  const res = await api.request('POST', '/v1/videos/upload-url', {
    token: user.accessToken,
    body: { content_type: 'video/mp4', size_bytes: 1000 },
  });
  return res.body.video_id;
}

beforeAll(async () => {
  [owner, other] = await Promise.all([registerUser(api), registerUser(api)]);
  const file = await makeTestVideo({ seconds: 2, width: 160, height: 120, withAudio: false });
  privateVideo = await uploadVideo(api, media, owner, file, { visibility: 'private' });
  deletedVideo = await uploadVideo(api, media, other, file);
  // Soft-deleted the way DELETE /v1/videos/{id} leaves it (the row stays for glitch chains).
  await hideVideo(deletedVideo, 'deleted');
  uploadingVideo = await startUpload(owner);
});

describe.each(ENDPOINTS)('%s: who may use which video', (_name, method, path, body) => {
  const call = (id: string, user?: TestUser) =>
    api.request(method, path(id), { token: user?.accessToken, body });

  it("someone else's private video, a deleted one and a missing one all look missing (404)", async () => {
    for (const id of [privateVideo, deletedVideo, '6f1c0b57-8a2e-4a38-a6a5-0d6b3a1c9e11']) {
      const res = await call(id, other);
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await call(deletedVideo, owner)).status).toBe(404);
    expect(await selectionsOf(other.id)).toEqual([]);
  });

  it('an unfinished upload is 409 video_not_ready for its owner, 404 for others', async () => {
    const own = await call(uploadingVideo, owner);
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('video_not_ready');
    expect((await call(uploadingVideo, other)).status).toBe(404);
  });

  it('needs sign-in (401) and a uuid (400)', async () => {
    const res = await call(privateVideo);
    expect(res.status).toBe(401);
    expect((await call('not-a-uuid', owner)).status).toBe(400);
  });

  it('the owner may use their own private video', async () => {
    expect((await call(privateVideo, owner)).status).toBe(method === 'POST' ? 201 : 200);
  });
});
