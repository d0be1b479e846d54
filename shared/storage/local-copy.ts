import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadToFile } from './s3.ts';

/**
 * Downloads an object into a fresh temp folder, runs `work` with its path (and the folder,
 * for outputs), and always removes the folder: ffmpeg only ever reads local files, and a
 * warm Lambda's /tmp must not fill up with leftovers.
 */
export async function withLocalCopy<T>(
  key: string,
  work: (input: string, dir: string) => Promise<T>,
): Promise<T> {
  return withLocalCopies([key], ([input], dir) => work(input!, dir));
}

/** The same for several objects at once (`source-0`, `source-1`, … in the order of `keys`). */
export async function withLocalCopies<T>(
  keys: readonly string[],
  work: (inputs: string[], dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lokiz-media-'));
  try {
    const inputs = keys.map((_, i) => join(dir, i === 0 ? 'source' : `source-${i}`));
    await Promise.all(keys.map((key, i) => downloadToFile(key, inputs[i]!)));
    return await work(inputs, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
