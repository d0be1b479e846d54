import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { resetEnvCache } from '../../shared/config/env.ts';
import type { Database } from '../../shared/db/schema.ts';
import { ffmpegPath, ffprobePath } from '../../shared/media/binaries.ts';
import { cutClip } from '../../shared/media/cut-clip.ts';
import { extractFrame } from '../../shared/media/extract-frame.ts';
import {
  FFMPEG_COMMON_ARGS,
  fitWidthFilter,
  outputArg,
  safeInputArgs,
} from '../../shared/media/input-safety.ts';
import { probeVideo } from '../../shared/media/probe.ts';
import { makePreview, RENDITION, transcodePlayback } from '../../shared/media/rendition.ts';
import { runBinary } from '../../shared/media/run.ts';
import { selectionClipKey, videoUploadKey } from '../../shared/storage/keys.ts';
import { downloadToFile, resetS3Client, uploadFile } from '../../shared/storage/s3.ts';
import { cutSelectionClip } from '../../shared/studio/clip.ts';
import { loadOrMakeRangePreview } from '../../shared/studio/range-preview.ts';
import { loadOrCreateTimeline } from '../../shared/studio/timeline.ts';
import type { Child } from './children.ts';
import { median } from './stats.ts';

/** One clip through the playback transcode (shared/media/rendition.ts). */
export interface TranscodeRow {
  seconds: number;
  sourceBytes: number;
  /** transcodePlayback alone. */
  wallMs: number;
  /** CPU time of ffmpeg (user + system, all threads): what Lambda bills through its vCPUs. */
  cpuMs: number;
  outBytes: number;
  outWidth: number;
  outHeight: number;
  /** Poster + preview from the rendition. */
  extrasMs: number;
}

export interface StudioWorstCase {
  /** The rendition the studio works on (of the longest allowed upload). */
  renditionSeconds: number;
  renditionBytes: number;
  /** cutSelectionClip (S3 GET of the rendition, ffmpeg, S3 PUT) of the last 10 s, median. */
  cutMs: number;
  /** Why a run of it failed, if one did (e.g. the studio's 20 s deadline on a saturated machine). */
  cutError?: string;
  cutCpuMs: number;
  /** The same ffmpeg cut alone on a local file. */
  cutLocalMs: number;
  /** A 20-frame timeline strip (the largest), made from scratch. */
  timelineMs: number;
}

/** GET …/preview on a range nobody asked for yet: the service the route calls, from its claim to the PUT. */
export interface RangePreviewRow {
  /** The uploaded source the rendition was made from, and the rendition the preview is cut from. */
  sourceWidth: number;
  sourceHeight: number;
  renditionSeconds: number;
  rangeMs: number;
  /** loadOrMakeRangePreview, cold (its row deleted before each run): claim, S3 GET, ffmpeg, S3 PUT, mark ready. */
  coldMs: number;
  /** ffmpeg's CPU time per run. */
  cpuMs: number;
  /** The same range again (the row is ready): what every later request costs. */
  warmMs: number;
  outWidth: number;
  outHeight: number;
  outBytes: number;
}

export interface MediaReport {
  clip: { seconds: number; width: number; height: number; fps: number; bytes: number; codec: string };
  runs: number;
  /** S3 event → video ready, through functions/workers/process-upload.ts (median ms). */
  handlerMs: number;
  handlerOutcomes: string[];
  /** probeVideo + transcodePlayback + extractFrame + makePreview (the library the handler calls) on a local file. */
  libraryMs: number;
  /** The bare commands: ffprobe (format and streams), the same ffmpeg transcode, ffmpeg -ss 1 -frames:v 1. */
  bareMs: number;
  bareProbeMs: number;
  bareTranscodeMs: number;
  bareFrameMs: number;
  /** What the handler adds around the media work: S3 GET of the clip, S3 PUT of the rendition. */
  s3DownloadMs: number;
  s3UploadMs: number;
  /** 1080p30 phone-like clips of 15, 60 and 180 s through the transcode. */
  transcodes: TranscodeRow[];
  studio?: StudioWorstCase;
  /** Cold range previews: a 10 s range of the rendition of a 1080p source (the first 10 s, and the last of the longest). */
  rangePreviews?: RangePreviewRow[];
  cpus: number;
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

/** CPU time of this process's finished children (ffmpeg), from /proc: cutime + cstime, in ms. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of stat(5) (cutime, cstime), counted from the state field (3): index 13, 14.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

async function withCpu<T>(fn: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const value = await fn();
  return { value, wallMs: performance.now() - t0, cpuMs: childrenCpuMs() - cpu0 };
}

/** Length of the generated segment that longer clips repeat (stream copies: no re-encoding). */
const SEGMENT_SECONDS = 15;

/**
 * A phone-like 1080p30 clip: H.264 High at ~12 Mbit/s, a keyframe a second, AAC. The test pattern
 * gets temporal noise, as camera sensors do, so the encoder cannot coast on flat areas. One 15 s
 * segment is encoded; longer clips are that segment repeated by the concat demuxer with stream
 * copy, which costs seconds instead of minutes and decodes exactly like a clip encoded in one go.
 */
async function makePhoneClip(dir: string, seconds: number): Promise<string> {
  const segment = join(dir, `segment-${SEGMENT_SECONDS}s.mp4`);
  if (!existsSync(segment)) {
    await runBinary(
      ffmpegPath(),
      [
        ...FFMPEG_COMMON_ARGS,
        ...['-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${SEGMENT_SECONDS}`],
        ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SEGMENT_SECONDS}`],
        ...['-vf', 'noise=alls=8:allf=t', '-c:v', 'libx264', '-preset', 'superfast', '-profile:v', 'high'],
        ...['-pix_fmt', 'yuv420p', '-g', '30', '-b:v', '12M', '-maxrate', '12M', '-bufsize', '24M'],
        ...['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', segment],
      ],
      { timeoutMs: 30 * 60_000 },
    );
  }
  const path = join(dir, `phone-${seconds}s.mp4`);
  if (seconds === SEGMENT_SECONDS) return segment;
  const list = join(dir, `concat-${seconds}.txt`);
  writeFileSync(list, `file '${segment}'\n`.repeat(Math.ceil(seconds / SEGMENT_SECONDS)));
  await runBinary(
    ffmpegPath(),
    [
      ...FFMPEG_COMMON_ARGS,
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      list,
      '-c',
      'copy',
      '-movflags',
      '+faststart',
      path,
    ],
    { timeoutMs: 10 * 60_000 },
  );
  return path;
}

/**
 * Upload processing of a 10 s 720p clip: the worker Lambda on an S3 event (local S3, the video row
 * reset to `uploading` and the inbox object put back between runs) vs the ffmpeg/ffprobe work alone;
 * then the transcode at 15, 60 and 180 s of 1080p, and the studio's worst case on the 180 s rendition.
 */
export async function measureMedia(opts: {
  worker: Child;
  db: pg.Client;
  /** The same database, for the range previews' rows (Kysely, as the studio Lambda uses it). */
  databaseUrl: string;
  seconds: number[];
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
    // The handler empties the inbox: the worker puts this copy back before each run.
    await uploadFile(benchStashKey(videoId), clip, 'video/mp4');

    opts.log(`  upload processing handler × ${opts.runs}…`);
    const handler = await opts.worker.media(key, videoId, ownerId, opts.runs);

    const out = (name: string) => join(dir, name);
    const libraryMs = await timeMedian(opts.runs, async () => {
      const source = await probeVideo(clip);
      const playback = await transcodePlayback(clip, { source, outPath: out('play.mp4') });
      await extractFrame(out('play.mp4'), {
        atMs: 1000,
        durationMs: playback.durationMs,
        outPath: out('poster.jpg'),
      });
      await makePreview(out('play.mp4'), { source: playback, outPath: out('preview.mp4') });
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
    const bareTranscode = () =>
      runBinary(ffmpegPath(), [
        ...FFMPEG_COMMON_ARGS,
        ...['-i', clip, '-vf', 'scale=1280:720', '-c:v', 'libx264', '-preset', RENDITION.preset],
        ...['-crf', String(RENDITION.crf), '-maxrate', `${RENDITION.maxrateKbps}k`, '-bufsize'],
        ...[`${RENDITION.bufsizeKbps}k`, '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k'],
        ...['-movflags', '+faststart', out('bare.mp4')],
      ]);
    const bareFrame = () =>
      runBinary(ffmpegPath(), [
        ...FFMPEG_COMMON_ARGS,
        ...safeInputArgs(clip, ['-ss', '1.000']),
        ...[
          '-map',
          '0:v:0',
          '-vf',
          fitWidthFilter(720),
          '-q:v',
          '3',
          '-frames:v',
          '1',
          outputArg(out('frame.jpg')),
        ],
      ]);
    const bareProbeMs = await timeMedian(opts.runs, bareProbe);
    const bareTranscodeMs = await timeMedian(opts.runs, bareTranscode);
    const bareFrameMs = await timeMedian(opts.runs, bareFrame);
    const bareMs = await timeMedian(opts.runs, async () => {
      await bareProbe();
      await bareTranscode();
      await bareFrame();
    });
    const s3DownloadMs = await timeMedian(opts.runs, () =>
      downloadToFile(benchStashKey(videoId), out('download.mp4')),
    );
    const s3UploadMs = await timeMedian(opts.runs, () =>
      uploadFile(`media/bench-${videoId}/1/play.mp4`, out('play.mp4'), 'video/mp4'),
    );

    const transcodes: TranscodeRow[] = [];
    const rangePreviews: RangePreviewRow[] = [];
    const previews = await rangePreviewBench(opts, ownerId);
    let longest:
      | { path: string; seconds: number; played: { durationMs: number; width: number; height: number } }
      | undefined;
    let longestSource = { width: 0, height: 0 };
    // The lengths the transcode is measured at (--media-seconds), shortest first.
    for (const seconds of opts.seconds) {
      opts.log(`  transcode: making a ${seconds} s 1080p30 clip…`);
      const source = await makePhoneClip(dir, seconds);
      const probe = await probeVideo(source);
      const rendition = out(`play-${seconds}s.mp4`);
      opts.log(`  transcode: ${seconds} s…`);
      const {
        value: played,
        wallMs,
        cpuMs,
      } = await withCpu(() =>
        transcodePlayback(source, { source: probe, outPath: rendition, timeoutMs: 30 * 60_000 }),
      );
      const t0 = performance.now();
      await extractFrame(rendition, { atMs: 1000, durationMs: played.durationMs, outPath: out('p.jpg') });
      await makePreview(rendition, { source: played, outPath: out('p.mp4') });
      transcodes.push({
        seconds,
        sourceBytes: statSync(source).size,
        wallMs,
        cpuMs,
        outBytes: statSync(rendition).size,
        outWidth: played.width,
        outHeight: played.height,
        extrasMs: performance.now() - t0,
      });
      longest = { path: rendition, seconds, played };
      longestSource = probe;
      // The first 10 s of the shortest clip; the last 10 s of the longest.
      if (seconds === opts.seconds[0]) {
        rangePreviews.push(await previews.measure(rendition, played, { start_ms: 0, end_ms: 10_000 }, probe));
      }
    }
    if (longest && longest.seconds !== opts.seconds[0]) {
      const end = longest.played.durationMs;
      const range = { start_ms: end - 10_000, end_ms: end };
      rangePreviews.push(await previews.measure(longest.path, longest.played, range, longestSource));
    }
    await previews.close();

    const studio = longest && (await studioWorstCase(longest, dir, opts));
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
      bareTranscodeMs,
      bareFrameMs,
      s3DownloadMs,
      s3UploadMs,
      transcodes,
      studio,
      rangePreviews,
      cpus: cpus().length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Cold range previews through the service GET /v1/studio/videos/{id}/preview calls: a video row for the
 * rendition (its previews' rows reference it), and each run deletes the range's row first so it is
 * made again (claim, S3 GET of the rendition, the 360 px proxy clip, S3 PUT, mark ready).
 */
async function rangePreviewBench(
  opts: { db: pg.Client; databaseUrl: string; runs: number; log: (l: string) => void },
  ownerId: string,
) {
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: opts.databaseUrl, max: 2 }) }),
  });
  const videoIds: string[] = [];
  return {
    async measure(
      rendition: string,
      played: { durationMs: number; width: number; height: number },
      range: { start_ms: number; end_ms: number },
      source: { width: number; height: number },
    ): Promise<RangePreviewRow> {
      const videoId = randomUUID();
      videoIds.push(videoId);
      const mediaKey = `media/${videoId}/1/play.mp4`;
      await opts.db.query(
        `INSERT INTO videos (id, owner_id, status, source_key, content_type, declared_size_bytes, caption)
         VALUES ($1, $2, 'uploading', $3, 'video/mp4', 1, 'bench range preview')`,
        [videoId, ownerId, videoUploadKey(ownerId, videoId, 'video/mp4')],
      );
      await uploadFile(mediaKey, rendition, 'video/mp4');
      const video = {
        id: videoId,
        owner_id: randomUUID(),
        allow_glitches: true,
        allow_frame_capture: true,
        media_key: mediaKey,
        media_rev: 1,
        duration_ms: played.durationMs,
        width: played.width,
        height: played.height,
      };
      opts.log(
        `  range preview: ${range.start_ms}–${range.end_ms} ms of a ${Math.round(played.durationMs / 1000)} s rendition, cold…`,
      );
      const ms: number[] = [];
      let made: { key: string; width: number; height: number } | undefined;
      const { cpuMs } = await withCpu(async () => {
        for (let i = 0; i < opts.runs; i++) {
          await opts.db.query('DELETE FROM studio_previews WHERE video_id = $1', [videoId]);
          const t0 = performance.now();
          made = await loadOrMakeRangePreview(db, video, range);
          ms.push(performance.now() - t0);
        }
      });
      const warmMs = await timeMedian(opts.runs, () => loadOrMakeRangePreview(db, video, range));
      const out = join(tmpdir(), `lokiz-bench-range-${videoId}.mp4`);
      await downloadToFile(made!.key, out);
      const outBytes = statSync(out).size;
      rmSync(out, { force: true });
      return {
        sourceWidth: source.width,
        sourceHeight: source.height,
        renditionSeconds: Math.round(played.durationMs / 1000),
        rangeMs: range.end_ms - range.start_ms,
        coldMs: median(ms),
        cpuMs: cpuMs / opts.runs,
        warmMs,
        outWidth: made!.width,
        outHeight: made!.height,
        outBytes,
      };
    },
    async close() {
      await opts.db.query('DELETE FROM videos WHERE id = ANY($1::uuid[])', [videoIds]);
      await db.destroy();
    },
  };
}

/** Where the bench keeps the clip the worker restores into the inbox before each handler run. */
export function benchStashKey(videoId: string): string {
  return `bench/${videoId}.mp4`;
}

/**
 * The heaviest studio work the limits allow: the last 10 s cut from the rendition of a 180 s upload
 * (the studio never reads originals), through the service the route calls, and a 20-frame strip.
 */
async function studioWorstCase(
  longest: { path: string; seconds: number },
  dir: string,
  opts: { runs: number; log: (l: string) => void },
): Promise<StudioWorstCase> {
  const probe = await probeVideo(longest.path);
  const videoId = randomUUID();
  const mediaKey = `media/${videoId}/1/play.mp4`;
  await uploadFile(mediaKey, longest.path, 'video/mp4');
  const source = {
    id: videoId,
    owner_id: randomUUID(),
    allow_glitches: true,
    allow_frame_capture: true,
    media_key: mediaKey,
    media_rev: 1,
    ...probe,
    duration_ms: probe.durationMs,
  };
  const range = { start_ms: probe.durationMs - 10_000, end_ms: probe.durationMs };
  opts.log('  studio: the last 10 s of the 180 s rendition…');
  let cutError: string | undefined;
  const cut = await withCpu(async () => {
    const ms: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const t0 = performance.now();
      try {
        await cutSelectionClip(source, range, selectionClipKey(randomUUID()));
      } catch (err) {
        cutError = `${(err as Error).message} (after ${((performance.now() - t0) / 1000).toFixed(1)} s)`;
      }
      ms.push(performance.now() - t0);
    }
    return median(ms);
  });
  const cutLocalMs = await timeMedian(opts.runs, () =>
    cutClip(longest.path, { startMs: range.start_ms, endMs: range.end_ms, outPath: join(dir, 'cut.mp4') }),
  );
  const t0 = performance.now();
  await loadOrCreateTimeline(source, 20).catch((err: Error) => {
    cutError = `${cutError ? `${cutError}; ` : ''}timeline: ${err.message}`;
  });
  return {
    renditionSeconds: longest.seconds,
    renditionBytes: statSync(longest.path).size,
    cutMs: cut.value,
    cutError,
    cutCpuMs: cut.cpuMs / opts.runs,
    cutLocalMs,
    timelineMs: performance.now() - t0,
  };
}
