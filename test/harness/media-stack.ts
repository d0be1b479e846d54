import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { AsyncInvoker, startLocalMedia, startLocalSoundtracks } from '../../shared/local/media.ts';
import type { LocalS3 } from '../../shared/local/s3.ts';
import type { LocalQueue } from '../../shared/local/sqs.ts';
import { settleAll } from './settle.ts';

export interface LocalMedia {
  invoker: AsyncInvoker;
  readonly endpoint: string;
  bucket: string;
  /** Music-on-video requests → the apply-soundtrack worker. */
  readonly soundtracks: LocalQueue;
  /** Waits until uploads and soundtracks have all been processed. */
  idle(): Promise<void>;
}

/**
 * A real S3-protocol server for one test file, with ObjectCreated events on uploads/
 * delivered (S3 event shape) to the process-upload handler (`invoker.idle()` waits for them), and the
 * soundtrack queue delivering to the apply-soundtrack worker.
 */
export function useLocalMedia(): LocalMedia {
  const invoker = new AsyncInvoker({ retryDelayMs: 50 });
  const bucket = 'lokiz-media-test';
  let s3: LocalS3 | undefined;
  let soundtracks: LocalQueue | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lokiz-s3-'));
    s3 = await startLocalMedia({ dir, bucket, invoker });
    soundtracks = startLocalSoundtracks({ visibilityDelayMs: 50, maxReceiveCount: 3 });
  });
  afterAll(async () => {
    await soundtracks?.idle();
    soundtracks?.close();
    await invoker.idle();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    invoker,
    bucket,
    get endpoint() {
      return s3!.endpoint;
    },
    get soundtracks() {
      return soundtracks!;
    },
    async idle() {
      await settleAll([soundtracks!, invoker]);
    },
  };
}
