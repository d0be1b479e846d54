import { call, log, until, untilJobDone } from './demo-client.ts';

/**
 * The studio's half of `npm run demo`, on the creator's ready video: a range preview (made once, then
 * served), the template path (capture a frame → image-to-video through the queue, the model and the
 * webhook → a labelled AI video in the feed) and AI music put on the video as a new revision.
 */
export async function studioDemo(videoId: string, token: string, username: string): Promise<void> {
  const range = `/v1/studio/videos/${videoId}/preview?start_ms=1000&end_ms=3000`;
  const preview = await call('GET', range, undefined, token);
  const again = await call('GET', range, undefined, token);
  log(
    `range preview 1.0–3.0 s: ${preview.width}x${preview.height}, ${preview.clip_duration_ms} ms clip, ` +
      `${(await (await fetch(preview.url)).arrayBuffer()).byteLength} bytes (asked again: ${
        new URL(again.url).pathname === new URL(preview.url).pathname ? 'the same object' : 'a new one?!'
      })`,
  );

  const frame = await call('POST', '/v1/ai/capture-frame', { video_id: videoId, at_ms: 2000 }, token);
  const template = await call(
    'POST',
    '/v1/ai/template',
    { image_asset_id: frame.asset_id, prompt: 'neon trickster, dreamy zoom', caption: 'templated #lokiz' },
    token,
  );
  log(
    `frame ${frame.width}x${frame.height} captured (0 credits); template job ${template.id} queued (cost ${template.cost})`,
  );
  const templated = await untilJobDone('the template', template.id, token);
  const made = await call('GET', `/v1/videos/${templated.result_video_id}`);
  log(
    `template video ${made.id} ready: ai_generated=${made.ai_generated} (${made.ai_model}), ${made.video_url.slice(0, 70)}…`,
  );

  const music = await call('POST', '/v1/ai/music', { prompt: 'a cheeky synth riff' }, token);
  await untilJobDone('the music', music.id, token);
  const soundtrack = await call(
    'POST',
    `/v1/studio/videos/${videoId}/music`,
    { music_job_id: music.id, mode: 'mix', offset_ms: 500, music_volume: 0.9, original_volume: 0.4 },
    token,
  );
  log(
    `music job ${music.id} done (cost ${music.cost}); putting it on ${videoId} (soundtrack ${soundtrack.id})`,
  );
  const applied = await until('the soundtrack', async () => {
    const s = await call('GET', `/v1/studio/soundtracks/${soundtrack.id}`, undefined, token);
    if (s.status === 'failed') throw new Error(`soundtrack failed: ${s.error}`);
    return s.status === 'ready' ? s : undefined;
  });
  const scored = await call('GET', `/v1/videos/${videoId}`);
  log(
    `video ${videoId} now plays revision ${applied.media_rev} (${scored.video_url.slice(-30)}), music by ` +
      `${scored.music.model} (${scored.music.licence_url})`,
  );
  const me = await call('GET', '/v1/auth/me', undefined, token);
  const feed = await call('GET', `/v1/videos?user_id=${me.id}`);
  log(
    `@${username} has ${me.credits} credits; their feed: ${feed.items.map((v: { origin: string }) => v.origin).join(', ')}`,
  );
}
