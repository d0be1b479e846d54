import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { captureTimelineFrames, MediaProcessError, probeVideo } from '../../../shared/media/index.ts';
import { readJpegSize } from '../../../shared/media/jpeg-size.ts';
import { isJpegFile, makeTempDir, makeTestAudio, makeTestVideo } from '../../harness/media.ts';

describe('captureTimelineFrames', () => {
  it('writes `count` JPEGs at the middle of `count` equal slices', async () => {
    const file = await makeTestVideo({ seconds: 3, width: 640, height: 360 });
    const { durationMs } = await probeVideo(file);
    const frames = await captureTimelineFrames(file, { durationMs, count: 6, outDir: makeTempDir() });
    expect(frames.map((f) => f.atMs)).toEqual([250, 750, 1250, 1750, 2250, 2750]);
    expect(new Set(frames.map((f) => f.path)).size).toBe(6);
    for (const frame of frames) {
      expect(await isJpegFile(frame.path)).toBe(true);
      expect(readJpegSize(await readFile(frame.path))).toEqual({ width: 160, height: 90 });
    }
    // Different positions of the moving test pattern: different pictures.
    const contents = await Promise.all(frames.map((f) => readFile(f.path, 'base64')));
    expect(new Set(contents).size).toBe(6);
  });

  it('handles more frames than one ffmpeg process takes, and webm', async () => {
    const file = await makeTestVideo({ seconds: 3, width: 640, height: 360, format: 'webm' });
    const frames = await captureTimelineFrames(file, {
      durationMs: 3000,
      count: 12,
      outDir: makeTempDir(),
      maxWidth: 64,
    });
    expect(frames).toHaveLength(12);
    expect(frames[0]!.atMs).toBe(125);
    expect(frames[11]!.atMs).toBe(2875);
    for (const frame of frames) expect(readJpegSize(await readFile(frame.path))?.width).toBe(64);
  });

  it('refuses a bad count, takes the last picture past the end, and fails without any picture', async () => {
    const file = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
    const outDir = makeTempDir();
    for (const count of [0, 1.5, 101]) {
      await expect(captureTimelineFrames(file, { durationMs: 1000, count, outDir })).rejects.toThrow(
        RangeError,
      );
    }
    // Positions after the last picture (sound outlasting it, or a wrong duration) get the last picture.
    const frames = await captureTimelineFrames(file, { durationMs: 10_000, count: 4, outDir });
    expect(frames).toHaveLength(4);
    for (const f of frames) expect(await isJpegFile(f.path)).toBe(true);
    const audioOnly = await makeTestAudio({ seconds: 1 });
    await expect(
      captureTimelineFrames(audioOnly, { durationMs: 1000, count: 2, outDir }),
    ).rejects.toBeInstanceOf(MediaProcessError);
  });
});
