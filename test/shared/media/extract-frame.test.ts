import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFrame, probeVideo } from '../../../shared/media/index.ts';
import { readJpegSize } from '../../../shared/media/jpeg-size.ts';
import { isJpegFile, makeTempDir, makeTestVideo } from '../../harness/media.ts';

const clip = () => makeTestVideo({ seconds: 3, width: 640, height: 360 });

async function expectJpeg(path: string, frame: { width: number; height: number; sizeBytes: number }) {
  expect(await isJpegFile(path)).toBe(true); // FF D8 FF
  const bytes = await readFile(path);
  expect(frame.sizeBytes).toBe(bytes.length);
  expect(readJpegSize(bytes)).toEqual({ width: frame.width, height: frame.height });
}

describe('extractFrame', () => {
  it('writes a JPEG scaled down to maxWidth, aspect kept, even dimensions', async () => {
    const outPath = join(makeTempDir(), 'frame.jpg');
    const frame = await extractFrame(await clip(), { atMs: 1500, outPath, maxWidth: 320 });
    expect(frame).toMatchObject({ width: 320, height: 180 });
    await expectJpeg(outPath, frame);

    const odd = await extractFrame(await clip(), { atMs: 1500, outPath, maxWidth: 301 });
    expect(odd.width).toBeLessThanOrEqual(301);
    expect(odd.width % 2).toBe(0);
    expect(odd.height % 2).toBe(0);
    expect(Math.abs(odd.width / odd.height - 16 / 9)).toBeLessThan(0.02);
  });

  it('never upscales: the default maxWidth 720 keeps a 640 px video at 640', async () => {
    const outPath = join(makeTempDir(), 'frame.jpg');
    const frame = await extractFrame(await clip(), { atMs: 0, outPath });
    expect(frame).toMatchObject({ width: 640, height: 360 });
    await expectJpeg(outPath, frame);
  });

  it('writes portrait phone videos upright', async () => {
    const file = await makeTestVideo({ seconds: 1, width: 640, height: 360, rotate: 90, withAudio: false });
    const outPath = join(makeTempDir(), 'portrait.jpg');
    expect(await extractFrame(file, { atMs: 500, outPath })).toMatchObject({ width: 360, height: 640 });
  });

  it('past the end: clamps with durationMs, and still returns the last frame without it', async () => {
    const file = await clip();
    const { durationMs } = await probeVideo(file);
    const dir = makeTempDir();
    for (const [name, options] of [
      ['at-end', { atMs: durationMs, durationMs }],
      ['far-past', { atMs: 60_000, durationMs }],
      ['no-duration', { atMs: 60_000 }],
      ['between-last-frame-and-end', { atMs: durationMs - 30 }],
    ] as const) {
      const outPath = join(dir, `${name}.jpg`);
      const frame = await extractFrame(file, { ...options, outPath, maxWidth: 160 });
      expect(frame, name).toMatchObject({ width: 160, height: 90 });
      await expectJpeg(outPath, frame);
    }
  });

  it('overwrites an existing file instead of mistaking it for output', async () => {
    const outPath = join(makeTempDir(), 'stale.jpg');
    await writeFile(outPath, 'stale');
    await expectJpeg(outPath, await extractFrame(await clip(), { atMs: 100, outPath }));
  });

  it('refuses nonsense arguments', async () => {
    const outPath = join(makeTempDir(), 'x.jpg');
    await expect(extractFrame(await clip(), { atMs: Number.NaN, outPath })).rejects.toThrow(RangeError);
    await expect(extractFrame(await clip(), { atMs: 0, outPath, maxWidth: 0 })).rejects.toThrow(RangeError);
  });
});
