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
  const dir = await mkdtemp(join(tmpdir(), 'lokiz-media-'));
  try {
    const input = join(dir, 'source');
    await downloadToFile(key, input);
    return await work(input, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
