import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffmpegPath, ffprobePath } from '../../../shared/media/binaries.ts';
import {
  captureTimelineFrames,
  cutClip,
  extractFrame,
  MediaProcessError,
} from '../../../shared/media/index.ts';
import { safeInputArgs } from '../../../shared/media/input-safety.ts';
import { runBinary } from '../../../shared/media/run.ts';
import { makeTempDir, makeTestVideo, writeFfconcat, writeHlsPlaylist } from '../../harness/media.ts';

/**
 * The whitelists on their own, without probeVideo's magic-byte check in front: a playlist pointing at a
 * real clip (the bait) must not be followed. Each case first shows that WITHOUT the flags the bundled
 * binaries do follow it, so the test would fail if the bait stopped working.
 */
async function hostileInputs() {
  const bait = await makeTestVideo({ seconds: 1, width: 320, height: 240, withAudio: false });
  const dir = dirname(bait);
  return {
    ffconcatAsMp4: await writeFfconcat({ target: basename(bait), dir }),
    hlsAsMp4: await writeHlsPlaylist({ target: basename(bait), extension: '.mp4', dir }),
    hlsAsM3u8: await writeHlsPlaylist({ target: basename(bait), dir }),
  };
}

const unsafeCapture = (input: string, out: string) =>
  runBinary(ffmpegPath(), ['-nostdin', '-loglevel', 'error', '-y', '-i', input, '-frames:v', '1', out]);

describe('demuxer and protocol whitelists', () => {
  it('ffmpeg 4.1 (capture, cut, strip) refuses ffconcat and HLS playlists it would otherwise follow', async () => {
    const out = makeTempDir();
    for (const [name, file] of Object.entries(await hostileInputs())) {
      const control = join(out, `${name}-unsafe.jpg`);
      await unsafeCapture(file, control);
      expect(existsSync(control), `${name}: without the flags ffmpeg follows the playlist`).toBe(true);

      const frame = join(out, `${name}.jpg`);
      await expect(extractFrame(file, { atMs: 0, outPath: frame })).rejects.toMatchObject({ reason: 'exit' });
      expect(existsSync(frame)).toBe(false);
      await expect(
        cutClip(file, { startMs: 0, endMs: 500, outPath: join(out, `${name}.mp4`) }),
      ).rejects.toThrow(MediaProcessError);
      await expect(
        captureTimelineFrames(file, { durationMs: 1000, count: 2, outDir: out }),
      ).rejects.toBeInstanceOf(MediaProcessError);
    }
  });

  it('ffprobe refuses them too', async () => {
    const probe = (file: string, safe: boolean) =>
      runBinary(ffprobePath(), [
        '-loglevel',
        'error',
        '-show_entries',
        'format=format_name',
        '-of',
        'json',
        ...(safe ? safeInputArgs(file) : [file]),
      ]);
    const { ffconcatAsMp4, hlsAsMp4, hlsAsM3u8 } = await hostileInputs();
    // ffprobe 5.2 already ignores HLS under a non-.m3u8 name; ffconcat and .m3u8 are followed.
    expect(JSON.parse((await probe(ffconcatAsMp4, false)).stdout).format.format_name).toBe('concat');
    expect(JSON.parse((await probe(hlsAsM3u8, false)).stdout).format.format_name).toBe('hls');
    for (const file of [ffconcatAsMp4, hlsAsMp4, hlsAsM3u8]) {
      await expect(probe(file, true)).rejects.toMatchObject({ reason: 'exit' });
    }
  });

  it('paths with ":" or a leading "-" are read as plain files', async () => {
    const args = safeInputArgs('-weird:name.mp4');
    expect(args.at(-1)).toMatch(/^file:\/.*\/-weird:name\.mp4$/);
  });
});
