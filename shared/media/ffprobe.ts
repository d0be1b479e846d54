import { ffprobePath } from './binaries.ts';
import { InvalidMediaError, MediaProcessError } from './errors.ts';
import { type MediaRunOptions, runBinary } from './run.ts';

/**
 * ffprobe's compact JSON for `entries` of an input (its safe input args), the one way video and
 * audio probing run it. ffprobe exiting non-zero means it cannot open the file: the caller's
 * `unreadable` message as InvalidMediaError('corrupt'); timeouts and spawn errors pass through.
 */
export async function runFfprobe(
  entries: string,
  inputArgs: string[],
  unreadable: string,
  options: MediaRunOptions & { timeoutMs: number },
): Promise<string> {
  try {
    const { stdout } = await runBinary(
      ffprobePath(),
      ['-hide_banner', '-loglevel', 'error', '-show_entries', entries, '-of', 'json=compact=1', ...inputArgs],
      options,
    );
    return stdout;
  } catch (err) {
    if (err instanceof MediaProcessError && err.reason === 'exit')
      throw new InvalidMediaError('corrupt', unreadable);
    throw err;
  }
}
