import { Duration, Size } from 'aws-cdk-lib';
import type { Domain } from '../shared/http/route.ts';
import { PROCESSING_BUDGET_MS } from '../shared/videos/limits.ts';

/**
 * Lambdas that serve no HTTP routes; entry `functions/workers/<name>.ts`, except the WebSocket
 * API's (LIVE_FUNCTION), whose entry is `functions/realtime/index.ts`.
 */
export const WORKERS = [
  'migrate',
  'process-upload',
  'apply-soundtrack',
  'ai-dispatcher',
  'output-copier',
  'reconciler',
  'account-deletion',
  'account-export',
  'fanout',
  'fanout-sweeper',
  'realtime',
] as const;
export const LIVE_FUNCTION = 'realtime' satisfies (typeof WORKERS)[number];
export type Worker = (typeof WORKERS)[number];
/** Every LOKIZ Lambda, by the name in its POWERTOOLS_SERVICE_NAME (`lokiz-<name>`). */
export type FunctionName = Domain | Worker;

export interface FunctionSizing {
  memorySize: number;
  timeout: Duration;
  /** /tmp, for media that ffmpeg reads and writes (default 512 MiB). */
  ephemeralStorage?: Size;
  reservedConcurrency?: number;
  /**
   * Runs ffmpeg/ffprobe: x86-64 (the binaries' architecture), the ffmpeg layer,
   * FFMPEG_PATH/FFPROBE_PATH, and the npm installers left out of the bundle (functions.ts).
   */
  ffmpeg?: boolean;
}

export const DEFAULT_SIZING: FunctionSizing = { memorySize: 512, timeout: Duration.seconds(15) };

/**
 * API Gateway gives up on an integration after 30 s (HTTP APIs can't raise it), so a synchronous
 * handler must finish, or fail with its own error, before that.
 */
export const API_TIMEOUT_LIMIT = Duration.seconds(29);

/**
 * Memory, time, disk and ffmpeg for every Lambda that differs from DEFAULT_SIZING, in one place.
 * Lambda's CPU share follows memory, so CPU-bound work (bcrypt, ffmpeg) buys memory for speed.
 */
export const FUNCTION_SIZING: Partial<Record<FunctionName, Partial<FunctionSizing>>> = {
  // bcrypt hashing is CPU-bound.
  auth: { memorySize: 1024 },
  // Password checks (change, delete) hash too.
  account: { memorySize: 1024 },
  // POST /v1/ai/capture-frame downloads the source video (≤ 200 MB) and runs ffmpeg inline.
  ai: { ffmpeg: true, memorySize: 1536, timeout: Duration.seconds(25), ephemeralStorage: Size.gibibytes(1) },
  // Timeline strips and ≤ 10 s clips, from the ≤ 720p rendition (its whole file in /tmp). The worst
  // cut allowed (the last 10 s of a 3-minute video) is ~4 CPU-seconds of x264 (BENCHMARKS.md "Media"):
  // 3584 MB buys 2 vCPUs, so it takes ~2 s instead of ~4 on one.
  studio: { ffmpeg: true, memorySize: 3584, timeout: API_TIMEOUT_LIMIT, ephemeralStorage: Size.gibibytes(2) },
  // Verifies, records and enqueues the copy: no download inside the request (output-copier does it).
  webhooks: { timeout: API_TIMEOUT_LIMIT },

  migrate: { timeout: Duration.minutes(5) },
  'process-upload': {
    ffmpeg: true,
    // The transcode is CPU-bound and x264 uses every core: 10240 MB buys Lambda's 6 vCPUs. A
    // CPU-second costs the same at any size, so more memory is about the same bill, ~3× sooner than
    // at 3 GB (BENCHMARKS.md "Media" has the CPU time per second of video). The memory itself is
    // the price of the cores: ffmpeg peaked at 160 MB (1080p source) and 210 MB (4K) on 2 CPUs
    // (`/usr/bin/time`); 6 threads add frame buffers, still far below a gigabyte.
    memorySize: 10_240,
    // ffmpeg's budget plus the S3 transfers (a 200 MB upload in, the original and the rendition out).
    timeout: Duration.millis(PROCESSING_BUDGET_MS).plus(Duration.minutes(2)),
    // A 200 MB upload, its ≤ 60 MB rendition, poster and preview.
    ephemeralStorage: Size.gibibytes(1),
    // A burst of uploads queues (S3's async invocations wait and retry) instead of scaling out.
    // Applied only with -c reservedConcurrency=true (StageConfig.reservedConcurrency).
    reservedConcurrency: 10,
  },
  // A new revision of a video with its music: the same work as an upload's transcode (the kept
  // original in, a rendition, poster and preview out) plus a music file, so the same size. Its SQS
  // event source caps concurrency (infra/media.ts) instead of reserved concurrency, which would make
  // SQS deliveries throttle and count as receives.
  'apply-soundtrack': {
    ffmpeg: true,
    memorySize: 10_240,
    timeout: Duration.millis(PROCESSING_BUDGET_MS).plus(Duration.minutes(2)),
    ephemeralStorage: Size.gibibytes(1),
  },
  // A Replicate call or two per job; the jobs queue's visibility timeout is derived from this.
  'ai-dispatcher': { timeout: Duration.seconds(60) },
  // Batches of deletes and S3 DeleteObjects; a large account takes a few runs (it resumes).
  'account-deletion': { timeout: Duration.minutes(5) },
  // Copies up to EXPORT_MEDIA_MAX_BYTES (4 GiB) of media into a zip in /tmp, then uploads it.
  'account-export': { memorySize: 1024, timeout: Duration.minutes(15), ephemeralStorage: Size.gibibytes(9) },
  // Posts to a few sockets and devices per event; a hung call gives up after 5 s (management.ts, sns.ts).
  fanout: { timeout: Duration.seconds(60) },
  // At most 500 rows of each kind per run; runs every minute, so never longer than that.
  'fanout-sweeper': { timeout: Duration.seconds(60) },
  // Copies a model's output (a video of tens of MB) through memory into the bucket: a 20 s
  // download at most (shared/ai/output.ts), then the PUT. The outputs queue's visibility follows.
  'output-copier': { memorySize: 1024, timeout: Duration.seconds(60) },
  reconciler: {
    // Polls up to a few hundred jobs and copies outputs like the webhook does.
    memorySize: 1024,
    // No longer than the schedule's period (ai.ts), so runs don't pile up behind a slow one.
    timeout: Duration.minutes(5),
  },
};

export function sizingOf(name: FunctionName): FunctionSizing {
  return { ...DEFAULT_SIZING, ...FUNCTION_SIZING[name] };
}
