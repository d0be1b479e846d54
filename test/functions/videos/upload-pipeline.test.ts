import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as processUpload } from '../../../functions/workers/process-upload.ts';
import { getDb } from '../../../shared/db/client.ts';
import { encodeS3EventKey, headObject, s3Client } from '../../../shared/storage/s3.ts';
import { sampleEvent } from '../../harness/events.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo, truncateFile, writeTextAsMp4 } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';

const media = useLocalMedia();
const api = useApi();

async function videoRow(id: string) {
  return getDb().selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function s3EventFor(key: string, size = 1): S3Event {
  const sample = sampleEvent<S3Event>('s3-object-created.json');
  const record = sample.Records[0]!;
  return {
    Records: [
      {
        ...record,
        s3: {
          ...record.s3,
          bucket: { ...record.s3.bucket, name: media.bucket },
          object: { ...record.s3.object, key: encodeS3EventKey(key), size },
        },
      },
    ],
  };
}

describe('upload → S3 event → upload processing → ready', () => {
  it('a real mp4 PUT to the presigned URL becomes a ready video with a rendition and a JPEG poster, in the feed, public', async () => {
    const user = await registerUser(api);
    const file = await makeTestVideo({ seconds: 3, width: 640, height: 360 });
    const id = await uploadVideo(api, media, user, file, { caption: 'first glitch #lokiz' });

    const own = await api.request('GET', `/v1/videos/${id}`, { token: user.accessToken });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      id,
      status: 'ready',
      width: 640,
      height: 360,
      caption: 'first glitch #lokiz',
      liked_by_me: false,
      owner: { id: user.id, username: user.username },
      glitch_of: null,
    });
    expect(Math.abs(own.body.duration_ms - 3000)).toBeLessThan(150);
    expect(own.body.owner).not.toHaveProperty('email');

    const thumb = await fetch(own.body.thumbnail_url);
    expect(thumb.status).toBe(200);
    const jpeg = new Uint8Array(await thumb.arrayBuffer());
    expect([...jpeg.slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    // The rendition (a new H.264 encode), not the upload; media-delivery.test.ts probes it.
    const video = await fetch(own.body.video_url);
    expect(video.status).toBe(200);
    const played = Buffer.from(await video.arrayBuffer());
    expect(played.subarray(4, 8).toString()).toBe('ftyp');
    expect(played.equals(await readFile(file))).toBe(false);

    const anonymous = await api.request('GET', `/v1/videos/${id}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.liked_by_me).toBeNull();

    const feed = await api.request('GET', `/v1/videos?user_id=${user.id}`);
    expect(feed.status).toBe(200);
    expect(feed.body.items.map((v: { id: string }) => v.id)).toEqual([id]);
    const me = await api.request('GET', '/v1/auth/me', { token: user.accessToken });
    expect(me.body.video_count).toBe(1);
  });

  it('shows an upload in progress only to its owner', async () => {
    const user = await registerUser(api);
    const res = await api.request('POST', '/v1/videos/upload-url', {
      token: user.accessToken,
      body: { content_type: 'video/webm', size_bytes: 1234 },
    });
    expect(res.status).toBe(201);
    expect(res.body.file_key).toBe(`uploads/${user.id}/${res.body.video_id}.webm`);
    // The seed's file_url: where the video will play from (here a GET URL of that very object).
    expect(new URL(res.body.file_url).pathname).toMatch(new RegExp(`/${res.body.file_key}$`));
    expect(new URL(res.body.file_url).searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(res.body.headers).toEqual({ 'content-type': 'video/webm' });
    const url = new URL(res.body.upload_url);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('content-length');
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBe(900);

    const own = await api.request('GET', `/v1/videos/${res.body.video_id}`, { token: user.accessToken });
    expect(own.body).toMatchObject({ status: 'uploading', video_url: null, thumbnail_url: null });
    const other = await registerUser(api);
    expect(
      (await api.request('GET', `/v1/videos/${res.body.video_id}`, { token: other.accessToken })).status,
    ).toBe(404);
    expect((await api.request('GET', `/v1/videos/${res.body.video_id}`)).status).toBe(404);
  });
});

describe('POST /v1/videos/upload-url rejects bad requests', () => {
  it.each([
    ['an image type', { content_type: 'image/png', size_bytes: 1000 }],
    ['zero bytes', { content_type: 'video/mp4', size_bytes: 0 }],
    ['over 200 MB', { content_type: 'video/mp4', size_bytes: 200 * 1024 * 1024 + 1 }],
    ['a fractional size', { content_type: 'video/mp4', size_bytes: 10.5 }],
    ['a client-chosen key', { content_type: 'video/mp4', size_bytes: 10, file_key: 'uploads/x/evil.mp4' }],
  ])('%s → 400 and no row', async (_label, body) => {
    const user = await registerUser(api);
    const res = await api.request('POST', '/v1/videos/upload-url', { token: user.accessToken, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const rows = await getDb().selectFrom('videos').select('id').where('owner_id', '=', user.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('requires sign-in', async () => {
    const res = await api.request('POST', '/v1/videos/upload-url', {
      body: { content_type: 'video/mp4', size_bytes: 10 },
    });
    expect(res.status).toBe(401);
  });
});

describe('the pipeline rejects what was not promised', () => {
  it('a file larger than declared', async () => {
    const user = await registerUser(api);
    const file = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
    const size = (await readFile(file)).length;
    const id = await uploadVideo(api, media, user, file, { declaredSize: size - 100 });
    const row = await videoRow(id);
    expect(row.status).toBe('failed');
    expect(row.failure_reason).toMatch(/size/);
    expect(await headObject(row.source_key)).toBeNull();
    const own = await api.request('GET', `/v1/videos/${id}`, { token: user.accessToken });
    expect(own.body.failure_reason).toMatch(/size/);
  });

  it('a file of another type than declared', async () => {
    const user = await registerUser(api);
    const file = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
    const id = await uploadVideo(api, media, user, file, {
      contentType: 'video/mp4',
      putContentType: 'video/webm',
    });
    expect((await videoRow(id)).failure_reason).toMatch(/type/);
  });

  it('a text file renamed .mp4', async () => {
    const user = await registerUser(api);
    const file = await writeTextAsMp4();
    const id = await uploadVideo(api, media, user, file);
    const row = await videoRow(id);
    expect(row.status).toBe('failed');
    expect(row.failure_reason).toMatch(/not a video|not supported/);
  });

  it('a truncated mp4', async () => {
    const user = await registerUser(api);
    const file = await truncateFile(await makeTestVideo({ seconds: 2, width: 320, height: 240 }), 0.3);
    const id = await uploadVideo(api, media, user, file);
    const row = await videoRow(id);
    expect(row.status).toBe('failed');
    expect(row.thumbnail_key).toBeNull();
    // Not counted, not in the feed.
    const feed = await api.request('GET', `/v1/videos?user_id=${user.id}`);
    expect(feed.body.items).toHaveLength(0);
  });
});

describe('process-upload handler with S3 event shapes', () => {
  async function rowWithObject(key: string) {
    const user = await registerUser(api);
    const file = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
    const bytes = await readFile(file);
    const [row] = await getDb()
      .insertInto('videos')
      .values({
        owner_id: user.id,
        source_key: key,
        content_type: 'video/mp4',
        declared_size_bytes: bytes.length,
      })
      .returning(['id', 'owner_id'])
      .execute();
    await (await s3Client()).send(
      new PutObjectCommand({ Bucket: media.bucket, Key: key, Body: bytes, ContentType: 'video/mp4' }),
    );
    await media.invoker.idle();
    return { ...row!, size: bytes.length };
  }

  it('decodes keys with spaces and "+" as S3 encodes them', async () => {
    const key = `uploads/odd/my clip+final ${Date.now()}.mp4`;
    const { id } = await rowWithObject(key);
    // The local S3 bridge already delivered the encoded key once.
    expect((await videoRow(id)).status).toBe('ready');
    expect(encodeS3EventKey(key)).toContain('+');
    expect(encodeS3EventKey(key)).toContain('%2B');
  });

  it('the same event twice, or late, changes nothing and counts once', async () => {
    const key = `uploads/dup/${Date.now()}.mp4`;
    const { id, owner_id, size } = await rowWithObject(key);
    const before = await videoRow(id);
    expect(before.status).toBe('ready');
    await processUpload(s3EventFor(key, size));
    await processUpload(s3EventFor(key, size));
    const after = await videoRow(id);
    expect(after.updated_at).toEqual(before.updated_at);
    const owner = await getDb()
      .selectFrom('users')
      .select('video_count')
      .where('id', '=', owner_id)
      .executeTakeFirst();
    expect(owner?.video_count).toBe(1);
  });

  it('concurrent duplicate deliveries before processing still count the video once', async () => {
    const key = `uploads/race/${Date.now()}.mp4`;
    const user = await registerUser(api);
    const bytes = await readFile(await makeTestVideo({ seconds: 1, width: 320, height: 240 }));
    // Object first (its event finds no row yet and is ignored), then the row, then the duplicates.
    await (await s3Client()).send(
      new PutObjectCommand({ Bucket: media.bucket, Key: key, Body: bytes, ContentType: 'video/mp4' }),
    );
    await media.invoker.idle();
    const [row] = await getDb()
      .insertInto('videos')
      .values({
        owner_id: user.id,
        source_key: key,
        content_type: 'video/mp4',
        declared_size_bytes: bytes.length,
      })
      .returning('id')
      .execute();
    await Promise.all([
      processUpload(s3EventFor(key)),
      processUpload(s3EventFor(key)),
      processUpload(s3EventFor(key)),
    ]);
    expect((await videoRow(row!.id)).status).toBe('ready');
    const owner = await getDb()
      .selectFrom('users')
      .select('video_count')
      .where('id', '=', user.id)
      .executeTakeFirst();
    expect(owner?.video_count).toBe(1);
  });

  it('an event for an object with no video row, or outside uploads/, does nothing', async () => {
    await expect(processUpload(s3EventFor('uploads/nobody/nothing.mp4'))).resolves.toBeUndefined();
    await expect(processUpload(s3EventFor('thumbnails/x.jpg'))).resolves.toBeUndefined();
    const removed = {
      Records: [{ ...s3EventFor('uploads/a.mp4').Records[0]!, eventName: 'ObjectRemoved:Delete' }],
    };
    await expect(processUpload(removed as S3Event)).resolves.toBeUndefined();
    expect(media.invoker.deadLetters).toEqual([]);
  });

  it('an event for a video deleted before processing removes the object and keeps it deleted', async () => {
    const key = `uploads/deleted/${Date.now()}.mp4`;
    const user = await registerUser(api);
    const [row] = await getDb()
      .insertInto('videos')
      .values({ owner_id: user.id, source_key: key, content_type: 'video/mp4', deleted_at: new Date() })
      .returning('id')
      .execute();
    await (await s3Client()).send(
      new PutObjectCommand({ Bucket: media.bucket, Key: key, Body: 'x', ContentType: 'video/mp4' }),
    );
    await media.invoker.idle();
    expect((await videoRow(row!.id)).status).toBe('uploading');
    expect(await headObject(key)).toBeNull();
  });
});
