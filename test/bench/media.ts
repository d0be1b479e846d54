import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { resetEnvCache } from '../../shared/config/env.ts';
import { ffmpegPath, ffprobePath } from '../../shared/media/binaries.ts';
import { extractFrame } from '../../shared/media/extract-frame.ts';
import {
  FFMPEG_COMMON_ARGS,
  fitWidthFilter,
  outputArg,
  safeInputArgs,
} from '../../shared/media/input-safety.ts';
import { probeVideo } from '../../shared/media/probe.ts';
import { runBinary } from '../../shared/media/run.ts';
import { videoUploadKey } from '../../shared/storage/keys.ts';
import { downloadToFile, resetS3Client, uploadFile } from '../../shared/storage/s3.ts';
import type { Child } from './children.ts';
import { median } from './stats.ts';

export interface MediaReport {
  clip: { seconds: number; width: number; height: number; fps: number; bytes: number; codec: string };
  runs: number;
  /** S3 event → video ready, through functions/workers/process-upload.ts (median ms). */
  handlerMs: number;
  handlerOutcomes: string[];
  /** probeVideo + extractFrame (the library the handler calls) on a local file. */
  libraryMs: number;
  /** The bare commands: ffprobe (format and streams) + ffmpeg -ss 1 -frames:v 1. */
  bareMs: number;
  bareProbeMs: number;
  bareFrameMs: number;
  /** What the handler adds around the media work: S3 GET of the clip, S3 PUT of the JPEG. */
  s3DownloadMs: number;
  s3UploadMs: number;
}

const SECONDS = 10;

async function timeMedian(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/**
 * Upload processing of a 10 s 720p clip: the worker Lambda on an S3 event (local S3, the video row
 * reset to `uploading` between runs) vs the ffmpeg/ffprobe work alone.
 */
export async function measureMedia(opts: {
  worker: Child;
  db: pg.Client;
  s3Env: Record<string, string>;
  runs: number;
  log: (l: string) => void;
}): Promise<MediaReport> {
  Object.assign(process.env, opts.s3Env);
  resetEnvCache();
  resetS3Client();
  const dir = mkdtempSync(join(tmpdir(), 'lokiz-bench-media-'));
  try {
    const clip = join(dir, 'clip.mp4');
    // A phone-like clip: H.264 High, 30 fps, a keyframe every 2 s, AAC audio, index up front.
    await runBinary(
      ffmpegPath(),
      [
        ...FFMPEG_COMMON_ARGS,
        ...['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${SECONDS}`],
        ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`],
        ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '60', '-b:v', '4M'],
        ...['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', clip],
      ],
      { timeoutMs: 120_000 },
    );
    const bytes = statSync(clip).size;

    const { rows } = await opts.db.query<{ id: string }>('SELECT id FROM users ORDER BY id LIMIT 1');
    const ownerId = rows[0]!.id;
    const videoId = randomUUID();
    const key = videoUploadKey(ownerId, videoId, 'video/mp4');
    await opts.db.query(
      `INSERT INTO videos (id, owner_id, status, source_key, content_type, declared_size_bytes, caption)
       VALUES ($1, $2, 'uploading', $3, 'video/mp4', $4, 'bench clip #benchmark')`,
      [videoId, ownerId, key, bytes],
    );
    await uploadFile(key, clip, 'video/mp4');

    opts.log(`  upload processing handler × ${opts.runs}…`);
    const handler = await opts.worker.media(key, videoId, ownerId, opts.runs);

    const frame = join(dir, 'frame.jpg');
    const libraryMs = await timeMedian(opts.runs, async () => {
      const probe = await probeVideo(clip);
      await extractFrame(clip, { atMs: 1000, durationMs: probe.durationMs, outPath: frame, maxWidth: 720 });
    });
    const bareProbe = () =>
      runBinary(ffprobePath(), [
        ...[
          '-hide_banner',
          '-loglevel',
          'error',
          '-show_entries',
          'format=duration:stream=codec_type,width,height',
        ],
        ...['-of', 'json', clip],
      ]);
    const bareFrame = () =>
      runBinary(ffmpegPath(), [
        ...FFMPEG_COMMON_ARGS,
        ...safeInputArgs(clip, ['-ss', '1.000']),
        ...['-map', '0:v:0', '-vf', fitWidthFilter(720), '-q:v', '3', '-frames:v', '1', outputArg(frame)],
      ]);
    const bareProbeMs = await timeMedian(opts.runs, bareProbe);
    const bareFrameMs = await timeMedian(opts.runs, bareFrame);
    const bareMs = await timeMedian(opts.runs, async () => {
      await bareProbe();
      await bareFrame();
    });
    const s3DownloadMs = await timeMedian(opts.runs, () => downloadToFile(key, join(dir, 'download.mp4')));
    const s3UploadMs = await timeMedian(opts.runs, () =>
      uploadFile(`thumbnails/bench-${videoId}.jpg`, frame, 'image/jpeg'),
    );

    return {
      clip: {
        seconds: SECONDS,
        width: 1280,
        height: 720,
        fps: 30,
        bytes,
        codec: 'H.264 + AAC (mp4, faststart)',
      },
      runs: opts.runs,
      handlerMs: median(handler.ms),
      handlerOutcomes: handler.outcome,
      libraryMs,
      bareMs,
      bareProbeMs,
      bareFrameMs,
      s3DownloadMs,
      s3UploadMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
