import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutClip, MediaProcessError, probeVideo } from '../../../shared/media/index.ts';
import { makeTempDir, makeTestVideo } from '../../harness/media.ts';

describe('cutClip', () => {
  it('cuts 1.5 s out of a 3 s mp4 into an H.264/AAC mp4', async () => {
    const source = await makeTestVideo({ seconds: 3, width: 640, height: 360 });
    const outPath = join(makeTempDir(), 'cut.mp4');
    const probe = await cutClip(source, { startMs: 750, endMs: 2250, outPath });
    expect(probe).toMatchObject({
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      width: 640,
      height: 360,
      videoCodec: 'h264',
      hasAudio: true,
    });
    expect(Math.abs(probe.durationMs - 1500)).toBeLessThanOrEqual(100);
    expect(await probeVideo(outPath)).toEqual(probe);
  });

  it('turns a VP8/Opus webm into mp4, and keeps a silent video silent', async () => {
    const dir = makeTempDir();
    const webm = await makeTestVideo({ seconds: 3, width: 640, height: 360, format: 'webm' });
    const fromWebm = await cutClip(webm, { startMs: 0, endMs: 1500, outPath: join(dir, 'from-webm.mp4') });
    expect(fromWebm).toMatchObject({ videoCodec: 'h264', hasAudio: true });
    expect(Math.abs(fromWebm.durationMs - 1500)).toBeLessThanOrEqual(100);

    const mute = await makeTestVideo({ seconds: 2, width: 320, height: 240, withAudio: false });
    const fromMute = await cutClip(mute, { startMs: 500, endMs: 1500, outPath: join(dir, 'mute.mp4') });
    expect(fromMute).toMatchObject({ hasAudio: false, width: 320, height: 240 });
  });

  it('renders a portrait phone video upright (no rotation flag left to honour)', async () => {
    const source = await makeTestVideo({ seconds: 1, width: 640, height: 360, rotate: 90, withAudio: false });
    const outPath = join(makeTempDir(), 'portrait.mp4');
    expect(await cutClip(source, { startMs: 0, endMs: 500, outPath })).toMatchObject({
      width: 360,
      height: 640,
    });
  });

  it('clips a range running past the end, fails a range starting after it, refuses nonsense', async () => {
    const source = await makeTestVideo({ seconds: 2, width: 320, height: 240 });
    const dir = makeTempDir();
    const tail = await cutClip(source, { startMs: 1000, endMs: 5000, outPath: join(dir, 'tail.mp4') });
    expect(Math.abs(tail.durationMs - 1000)).toBeLessThanOrEqual(100);

    await expect(
      cutClip(source, { startMs: 5000, endMs: 6000, outPath: join(dir, 'none.mp4') }),
    ).rejects.toThrow(MediaProcessError);
    await expect(
      cutClip(source, { startMs: 1000, endMs: 1000, outPath: join(dir, 'x.mp4') }),
    ).rejects.toThrow(RangeError);
    await expect(cutClip(source, { startMs: -1, endMs: 1000, outPath: join(dir, 'x.mp4') })).rejects.toThrow(
      RangeError,
    );
  });
});
