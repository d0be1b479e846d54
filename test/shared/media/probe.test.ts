import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidMediaError, type InvalidMediaReason, probeVideo } from '../../../shared/media/index.ts';
import {
  makeTempDir,
  makeTestAudio,
  makeTestVideo,
  truncateFile,
  writeEmptyMp4,
  writeFfconcat,
  writeHlsPlaylist,
  writeTextAsMp4,
} from '../../harness/media.ts';

async function expectRejected(filePath: string, reason: InvalidMediaReason) {
  const err = await probeVideo(filePath).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidMediaError);
  expect((err as InvalidMediaError).reason).toBe(reason);
  return err as InvalidMediaError;
}

describe('probeVideo on real clips', () => {
  it('reads a 3 s 640x360 H.264/AAC mp4', async () => {
    const file = await makeTestVideo({ seconds: 3, width: 640, height: 360 });
    const probe = await probeVideo(file);
    expect(probe).toMatchObject({
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      width: 640,
      height: 360,
      videoCodec: 'h264',
      hasAudio: true,
    });
    expect(Math.abs(probe.durationMs - 3000)).toBeLessThanOrEqual(100);
    expect(probe.sizeBytes).toBeGreaterThan(10_000);
    // SDR: no transfer worth tone-mapping (media-delivery.test.ts uploads HLG and PQ).
    expect(probe.hdr).toBeUndefined();
  });

  it('reads a VP8/Opus webm', async () => {
    const probe = await probeVideo(
      await makeTestVideo({ seconds: 3, width: 640, height: 360, format: 'webm' }),
    );
    expect(probe).toMatchObject({ formatName: 'matroska,webm', width: 640, height: 360, videoCodec: 'vp8' });
    expect(probe.hasAudio).toBe(true);
    expect(Math.abs(probe.durationMs - 3000)).toBeLessThanOrEqual(100);
  });

  it('reads a silent mov with the index at the end (not faststart)', async () => {
    const file = await makeTestVideo({
      seconds: 2,
      width: 320,
      height: 240,
      format: 'mov',
      withAudio: false,
    });
    const probe = await probeVideo(file);
    expect(probe).toMatchObject({ width: 320, height: 240, videoCodec: 'h264', hasAudio: false });
    expect(Math.abs(probe.durationMs - 2000)).toBeLessThanOrEqual(100);
    const late = await makeTestVideo({ seconds: 2, width: 320, height: 240, faststart: false });
    expect((await probeVideo(late)).width).toBe(320);
  });

  it('reports the display size of a portrait phone video stored sideways', async () => {
    const file = await makeTestVideo({ seconds: 1, width: 640, height: 360, rotate: 90, withAudio: false });
    expect(await probeVideo(file)).toMatchObject({ width: 360, height: 640 });
  });

  it('reads a live-recorded webm without declared duration (as browser MediaRecorder writes) from its packets', async () => {
    const file = await makeTestVideo({ seconds: 2, width: 320, height: 240, format: 'webm', live: true });
    const probe = await probeVideo(file);
    expect(probe).toMatchObject({ formatName: 'matroska,webm', width: 320, height: 240 });
    expect(Math.abs(probe.durationMs - 2000)).toBeLessThanOrEqual(100);
  });

  it('does not depend on the file name', async () => {
    const file = await makeTestVideo({ seconds: 1, width: 320, height: 240, format: 'webm' });
    const dir = makeTempDir();
    const renamed = join(dir, 'weird:name -x.mp4');
    await copyFile(file, renamed);
    expect((await probeVideo(renamed)).formatName).toBe('matroska,webm');
  });
});

describe('probeVideo refuses bad uploads with a reason', () => {
  it('a text file named .mp4: not_a_video', async () => {
    await expectRejected(await writeTextAsMp4(), 'not_a_video');
  });

  it('an empty file: not_a_video', async () => {
    await expectRejected(await writeEmptyMp4(), 'not_a_video');
  });

  it('a directory: not_a_video; a missing path: the fs error', async () => {
    await expectRejected(makeTempDir(), 'not_a_video');
    await expect(probeVideo('/nonexistent/clip.mp4')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('the first 30% of a faststart mp4 (index intact, data missing): corrupt', async () => {
    const file = await makeTestVideo({ seconds: 3, width: 640, height: 360 });
    await expectRejected(await truncateFile(file, 0.3), 'corrupt');
    // The short clip the upload pipeline test uses.
    await expectRejected(
      await truncateFile(await makeTestVideo({ seconds: 2, width: 320, height: 240 }), 0.3),
      'corrupt',
    );
  });

  it('the first 30% of an mp4 with its index at the end (no moov): corrupt', async () => {
    const file = await makeTestVideo({ seconds: 3, width: 640, height: 360, faststart: false });
    await expectRejected(await truncateFile(file, 0.3), 'corrupt');
  });

  it('an mp4 or webm missing only its last 1%: corrupt', async () => {
    for (const format of ['mp4', 'webm'] as const) {
      const file = await makeTestVideo({ seconds: 3, width: 640, height: 360, format });
      await expectRejected(await truncateFile(file, 0.99), 'corrupt');
    }
  });

  it('a truncated mp4 whose box sizes were patched to fit: corrupt (its packets stop early)', async () => {
    const file = await truncateFile(await makeTestVideo({ seconds: 3, width: 640, height: 360 }), 0.5);
    const bytes = await readFile(file);
    const mdatAt = bytes.indexOf('mdat') - 4;
    bytes.writeUInt32BE(bytes.length - mdatAt, mdatAt);
    await writeFile(file, bytes);
    const err = await expectRejected(file, 'corrupt');
    expect(err.message).toMatch(/data ends at 1\.\d s of 3\.0 s/);
  });

  it('the first 30% of a webm: corrupt', async () => {
    const file = await makeTestVideo({ seconds: 3, width: 640, height: 360, format: 'webm' });
    await expectRejected(await truncateFile(file, 0.3), 'corrupt');
  });

  it('the first bytes of an mp4 only: corrupt', async () => {
    const file = await makeTestVideo({ seconds: 3, width: 640, height: 360 });
    await expectRejected(await truncateFile(file, 0.0001), 'corrupt');
  });

  it('an audio-only m4a: no_video_stream', async () => {
    await expectRejected(await makeTestAudio({ seconds: 1 }), 'no_video_stream');
  });

  it('an AVI (a real video in a container we do not accept): unsupported_format', async () => {
    await expectRejected(
      await makeTestVideo({ seconds: 1, width: 320, height: 240, format: 'avi' }),
      'unsupported_format',
    );
  });

  it('HLS playlists and ffconcat scripts, named .m3u8 or disguised as .mp4: not_a_video', async () => {
    // The bait is a valid clip next to the playlists: had ffprobe followed a reference, it would succeed.
    const bait = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
    const dir = dirname(bait);
    for (const file of [
      await writeHlsPlaylist({ target: basename(bait), dir }),
      await writeHlsPlaylist({ target: basename(bait), extension: '.mp4', dir }),
      await writeHlsPlaylist({ target: bait, extension: '.mp4', dir }),
      await writeHlsPlaylist(),
      await writeFfconcat({ target: basename(bait), dir }),
      await writeFfconcat({ target: '/etc/passwd' }),
    ]) {
      await expectRejected(file, 'not_a_video');
    }
  });

  it('a file inside a folder with an awkward name still works', async () => {
    const dir = join(makeTempDir(), 'file:odd');
    await mkdir(dir);
    await expectRejected(await writeTextAsMp4(dir), 'not_a_video');
  });
});
