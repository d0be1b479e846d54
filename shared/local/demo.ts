import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath } from '../media/binaries.ts';
import { runBinary } from '../media/run.ts';
import { call, log, until, untilJobDone } from './demo-client.ts';
import { studioDemo } from './demo-studio.ts';

/**
 * `npm run demo` (with `npm run dev` running): the whole product path over HTTP, as a client
 * would drive it — two accounts, a real uploaded clip, a studio range, a character image,
 * a glitch through the queue and the (stand-in) model, and the new video in the feed; then the studio
 * (demo-studio.ts): a range preview, the template path and AI music put on the video.
 */
const dir = await mkdtemp(join(tmpdir(), 'lokiz-demo-'));
try {
  const clip = join(dir, 'clip.mp4');
  const still = join(dir, 'character.jpg');
  const ffmpeg = ffmpegPath();
  const lavfi = [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=480x270:rate=15',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440',
  ];
  await runBinary(ffmpeg, [
    '-y',
    ...lavfi,
    '-t',
    '5',
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-c:a',
    'aac',
    clip,
  ]);
  await runBinary(ffmpeg, ['-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x320', '-frames:v', '1', still]);

  const suffix = Date.now().toString(36);
  const creator = await call('POST', '/v1/auth/register', {
    email: `creator_${suffix}@example.com`,
    username: `creator_${suffix}`,
    password: 'play-like-a-trickster',
  });
  const remixer = await call('POST', '/v1/auth/register', {
    email: `remixer_${suffix}@example.com`,
    username: `remixer_${suffix}`,
    password: 'play-like-a-trickster',
  });
  const ct = creator.tokens.access_token;
  const rt = remixer.tokens.access_token;
  log(`registered @${creator.user.username} and @${remixer.user.username} (100 credits each)`);

  const bytes = await readFile(clip);
  const upload = await call(
    'POST',
    '/v1/videos/upload-url',
    { content_type: 'video/mp4', size_bytes: bytes.length, caption: 'original #lokiz' },
    ct,
  );
  await fetch(upload.upload_url, { method: 'PUT', body: bytes, headers: { 'content-type': 'video/mp4' } });
  const video = await until('the upload to be ready', async () => {
    const v = await call('GET', `/v1/videos/${upload.video_id}`, undefined, ct);
    return v.status === 'ready' ? v : undefined;
  });
  log(
    `video ${video.id} is ready: ${video.duration_ms} ms, ${video.width}x${video.height}, thumbnail ${video.thumbnail_url.slice(0, 60)}…`,
  );

  const selection = await call(
    'POST',
    `/v1/studio/videos/${video.id}/select-range`,
    { start_ms: 1000, end_ms: 4000 },
    rt,
  );
  const image = await readFile(still);
  const character = await call(
    'POST',
    '/v1/ai/character-images/upload-url',
    { content_type: 'image/jpeg', size_bytes: image.length },
    rt,
  );
  await fetch(character.upload_url, {
    method: 'PUT',
    body: image,
    headers: { 'content-type': 'image/jpeg' },
  });
  const job = await call(
    'POST',
    '/v1/ai/glitch/animate',
    {
      source_video_id: video.id,
      selection_id: selection.selection_id,
      character_image_id: character.asset_id,
      caption: 'glitched #lokiz',
    },
    rt,
  );
  log(`glitch job ${job.id} queued (cost ${job.cost})`);

  const done = await untilJobDone('the glitch', job.id, rt);
  const glitch = await call('GET', `/v1/videos/${done.result_video_id}`);
  const me = await call('GET', '/v1/auth/me', undefined, rt);
  const feed = await call('GET', '/v1/videos?limit=5');
  log(`glitch video ${glitch.id} ready (${glitch.duration_ms} ms), glitch_of ${glitch.glitch_of.video_id}`);
  log(
    `@${me.username} now has ${me.credits} credits; newest in the feed: ${feed.items.map((v: { id: string }) => v.id.slice(0, 8)).join(', ')}`,
  );

  await studioDemo(video.id, ct, creator.user.username);
} finally {
  await rm(dir, { recursive: true, force: true });
}
