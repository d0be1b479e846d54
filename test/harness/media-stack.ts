import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { AsyncInvoker, startLocalMedia } from '../../shared/local/media.ts';
import type { LocalS3 } from '../../shared/local/s3.ts';

export interface LocalMedia {
  invoker: AsyncInvoker;
  readonly endpoint: string;
  bucket: string;
}

/**
 * A real S3-protocol server for one test file, with ObjectCreated events on uploads/
 * delivered (S3 event shape) to the process-upload handler. `invoker.idle()` waits for them.
 */
export function useLocalMedia(): LocalMedia {
  const invoker = new AsyncInvoker({ retryDelayMs: 50 });
  const bucket = 'lokiz-media-test';
  let s3: LocalS3 | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lokiz-s3-'));
    s3 = await startLocalMedia({ dir, bucket, invoker });
  });
  afterAll(async () => {
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
  };
}
