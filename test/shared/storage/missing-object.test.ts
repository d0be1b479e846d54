import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyOutputToBucket } from '../../../shared/ai/output.ts';
import { resetEnvCache } from '../../../shared/config/env.ts';
import { timelineManifestKey } from '../../../shared/storage/keys.ts';
import { headObject, resetS3Client, uploadBytes } from '../../../shared/storage/s3.ts';
import { readTimelineManifest } from '../../../shared/studio/timeline-manifest.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { type DenyingS3Front, startDenyingS3Front } from '../../harness/s3-denying-front.ts';
import { uploadVideo } from '../../harness/videos.ts';

/**
 * S3 answers a missing key with 404 to a caller allowed s3:ListBucket and with 403 otherwise.
 * Every existence check must read both as "missing" for our own prefixes (never a 500), and
 * still fail on a 403 elsewhere. s3rver only says 404; the denying front says 403.
 */
const media = useLocalMedia();
const api = useApi();
let front: DenyingS3Front;
let outputServer: Server;
let outputUrl: string;
const OUTPUT = Buffer.from('pretend this is a model output');

function useEndpoint(endpoint: string): void {
  process.env.S3_ENDPOINT = endpoint;
  resetEnvCache();
  resetS3Client();
}

beforeAll(async () => {
  front = await startDenyingS3Front(media.endpoint);
  outputServer = createServer((_req, res) => res.end(OUTPUT));
  await new Promise<void>((resolve) => outputServer.listen(0, '127.0.0.1', resolve));
  outputUrl = `http://127.0.0.1:${(outputServer.address() as AddressInfo).port}/out.mp4`;
});
afterAll(async () => {
  useEndpoint(media.endpoint);
  await front?.close();
  outputServer?.close();
});

describe.each([
  ['404 (caller may list the prefix)', () => media.endpoint, false],
  ['403 (S3 without a usable ListBucket grant)', () => front.endpoint, true],
])('a missing key answered with %s', (_label, endpoint, denies) => {
  beforeAll(() => useEndpoint(endpoint()));

  it('is "missing" to headObject and to the timeline manifest read; present keys are found', async () => {
    const before = front.denied;
    const key = `uploads/${randomUUID()}/${randomUUID()}.mp4`;
    expect(await headObject(key)).toBeNull();
    expect(await readTimelineManifest(randomUUID(), 10)).toBeNull();
    await uploadBytes(key, Buffer.from('x'), 'video/mp4');
    expect(await headObject(key)).toEqual({ size: 1, contentType: 'video/mp4' });
    // The front really answered 403 in that mode (and never in the other).
    expect(front.denied - before).toBe(denies ? 2 : 0);
  });

  it('does not hide a 403 outside our own prefixes', async () => {
    const key = `elsewhere/${randomUUID()}`;
    if (denies) await expect(headObject(key)).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    else expect(await headObject(key)).toBeNull();
  });

  it('copies an AI output whose key is not there yet, once', async () => {
    const key = `uploads/${randomUUID()}/${randomUUID()}.mp4`;
    expect(await copyOutputToBucket(outputUrl, key, 'video/mp4')).toBe(OUTPUT.length);
    expect(await copyOutputToBucket(outputUrl, key, 'video/mp4')).toBe(-1);
    expect((await headObject(key))?.size).toBe(OUTPUT.length);
  });

  it('answers the API in 4xx/2xx: an image not uploaded yet is 422, a first timeline is made', async () => {
    const user = await registerUser(api);
    const upload = await api.request('POST', '/v1/ai/character-images/upload-url', {
      token: user.accessToken,
      body: { content_type: 'image/png', size_bytes: 1000 },
    });
    expect(upload.status).toBe(201);
    const template = await api.request('POST', '/v1/ai/template', {
      token: user.accessToken,
      body: { image_asset_id: upload.body.asset_id, prompt: 'make it vaporwave' },
    });
    expect(template.status, template.text).toBe(422);
    expect(template.body.error.code).toBe('image_not_uploaded');

    const clip = await makeTestVideo({ seconds: 2, width: 160, height: 120 });
    const videoId = await uploadVideo(api, media, user, clip);
    const before = front.denied;
    const timeline = await api.request('GET', `/v1/studio/videos/${videoId}/timeline?count=4`, {
      token: user.accessToken,
    });
    expect(timeline.status, timeline.text).toBe(200);
    expect(timeline.body.frames).toHaveLength(4);
    expect(await headObject(timelineManifestKey(videoId, 4))).not.toBeNull();
    if (denies) expect(front.denied).toBeGreaterThan(before);
  });
});
