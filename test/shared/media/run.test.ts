import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ffmpegPath, ffprobePath } from '../../../shared/media/binaries.ts';
import { MediaProcessError } from '../../../shared/media/errors.ts';
import { runBinary } from '../../../shared/media/run.ts';

/** ffmpeg reading an endless test source: never exits on its own. */
const ENDLESS = [
  '-hide_banner',
  '-nostdin',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=64x64:rate=5',
  '-f',
  'null',
  '-',
];

async function rejection(promise: Promise<unknown>): Promise<MediaProcessError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaProcessError);
  return err as MediaProcessError;
}

describe('binaries', () => {
  it('falls back to the npm installer binaries, which exist', () => {
    const saved = { ffmpeg: process.env.FFMPEG_PATH, ffprobe: process.env.FFPROBE_PATH };
    delete process.env.FFMPEG_PATH;
    delete process.env.FFPROBE_PATH;
    try {
      expect(ffmpegPath()).toMatch(/@ffmpeg-installer/);
      expect(ffprobePath()).toMatch(/@ffprobe-installer/);
      expect(existsSync(ffmpegPath())).toBe(true);
      expect(existsSync(ffprobePath())).toBe(true);
    } finally {
      if (saved.ffmpeg !== undefined) process.env.FFMPEG_PATH = saved.ffmpeg;
      if (saved.ffprobe !== undefined) process.env.FFPROBE_PATH = saved.ffprobe;
    }
  });

  it('prefers FFMPEG_PATH / FFPROBE_PATH (the Lambda layer at /opt/bin)', () => {
    const saved = { ffmpeg: process.env.FFMPEG_PATH, ffprobe: process.env.FFPROBE_PATH };
    process.env.FFMPEG_PATH = '/opt/bin/ffmpeg';
    process.env.FFPROBE_PATH = '/opt/bin/ffprobe';
    try {
      expect(ffmpegPath()).toBe('/opt/bin/ffmpeg');
      expect(ffprobePath()).toBe('/opt/bin/ffprobe');
    } finally {
      for (const [name, value] of [
        ['FFMPEG_PATH', saved.ffmpeg],
        ['FFPROBE_PATH', saved.ffprobe],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('runBinary', () => {
  it('returns stdout of a successful run', async () => {
    const { stdout } = await runBinary(ffmpegPath(), ['-hide_banner', '-version']);
    expect(stdout).toMatch(/^ffmpeg version/);
  });

  it('rejects a failing run with its exit code and the end of stderr', async () => {
    const err = await rejection(runBinary(ffmpegPath(), ['-hide_banner', '-i', '/nonexistent/input.mp4']));
    expect(err.reason).toBe('exit');
    expect(err.exitCode).toBe(1);
    expect(err.stderrTail).toMatch(/No such file or directory/);
    expect(err.message).toMatch(/No such file or directory/);
  });

  it('kills a run that outlives its timeout', async () => {
    const err = await rejection(runBinary(ffmpegPath(), ENDLESS, { timeoutMs: 300 }));
    expect(err.reason).toBe('timeout');
    expect(err.details.signal).toBe('SIGKILL');
  });

  it('kills a run when the signal aborts, and does not start one already aborted', async () => {
    const controller = new AbortController();
    const running = runBinary(ffmpegPath(), ENDLESS, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('lambda deadline')), 200);
    const err = await rejection(running);
    expect(err.reason).toBe('aborted');
    expect(err.cause).toEqual(new Error('lambda deadline'));

    const early = await rejection(runBinary(ffmpegPath(), ['-version'], { signal: AbortSignal.abort() }));
    expect(early.reason).toBe('aborted');
  });

  it('kills a run whose stdout exceeds the cap', async () => {
    const err = await rejection(
      runBinary(ffmpegPath(), ['-hide_banner', '-h', 'full'], { maxStdoutBytes: 1000 }),
    );
    expect(err.reason).toBe('output_too_large');
  });

  it('reports a missing binary as spawn_failed', async () => {
    const err = await rejection(runBinary('/nonexistent/bin/ffmpeg', ['-version']));
    expect(err.reason).toBe('spawn_failed');
    expect(err.message).toMatch(/ENOENT/);
  });
});
