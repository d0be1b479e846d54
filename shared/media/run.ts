import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { MediaProcessError, type MediaProcessFailure } from './errors.ts';

/** Options every media operation accepts. */
export interface MediaRunOptions {
  /** Kill the process (SIGKILL) after this long. */
  timeoutMs?: number;
  /** Kill the process when aborted (e.g. the Lambda is about to time out). */
  signal?: AbortSignal;
}

export interface RunOptions extends MediaRunOptions {
  /** Kill the process if stdout grows beyond this (ffprobe output is parsed in memory). */
  maxStdoutBytes?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_STDOUT_BYTES = 32 * 1024 * 1024;
/** stderr kept in memory; ffmpeg can be chatty, and only the end matters for diagnosis. */
const STDERR_KEEP_BYTES = 64 * 1024;
const STDERR_TAIL_IN_ERROR = 2048;

/**
 * Runs a binary directly (no shell, so no quoting or injection issues) and collects its output.
 * Settles only once the process has exited, so callers can safely clean up files afterwards.
 */
export function runBinary(
  binary: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, signal, maxStdoutBytes = DEFAULT_MAX_STDOUT_BYTES } = options;
  const name = basename(binary);
  const started = performance.now();

  return new Promise<RunResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(
        new MediaProcessError('aborted', `${name} not started: aborted`, { binary, cause: signal.reason }),
      );
      return;
    }

    // stdin ignored: ffmpeg otherwise reads keyboard commands from it and can stall.
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let killedFor: MediaProcessFailure | undefined;
    let settled = false;

    const kill = (why: MediaProcessFailure) => {
      if (killedFor) return;
      killedFor = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    const onAbort = () => kill('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });

    const finish = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const tail = () => stderr.slice(-STDERR_TAIL_IN_ERROR);

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdoutBytes) kill('output_too_large');
      else stdoutChunks.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 2 * STDERR_KEEP_BYTES) stderr = stderr.slice(-STDERR_KEEP_BYTES);
    });

    child.on('error', (err) => {
      // Only spawn failures (ENOENT, EACCES) are handled here: a spawned process always ends in 'close'.
      if (settled || child.pid !== undefined) return;
      finish();
      reject(
        new MediaProcessError('spawn_failed', `${name} could not be started: ${err.message}`, {
          binary,
          cause: err,
        }),
      );
    });

    child.on('close', (exitCode, exitSignal) => {
      if (settled) return;
      finish();
      const elapsedMs = Math.round(performance.now() - started);
      if (killedFor) {
        const what =
          killedFor === 'timeout'
            ? `timed out after ${timeoutMs} ms`
            : killedFor === 'aborted'
              ? 'aborted'
              : `wrote more than ${maxStdoutBytes} bytes to stdout`;
        reject(
          new MediaProcessError(killedFor, `${name} ${what}`, {
            binary,
            exitCode,
            signal: exitSignal,
            stderrTail: tail(),
            cause: killedFor === 'aborted' ? signal?.reason : undefined,
          }),
        );
        return;
      }
      if (exitCode !== 0) {
        const lastLine = tail().trim().split('\n').at(-1) ?? '';
        reject(
          new MediaProcessError(
            'exit',
            `${name} failed (${exitSignal ?? `exit ${exitCode}`})${lastLine ? `: ${lastLine}` : ''}`,
            { binary, exitCode, signal: exitSignal, stderrTail: tail() },
          ),
        );
        return;
      }
      resolve({ stdout: Buffer.concat(stdoutChunks).toString('utf8'), stderr, elapsedMs });
    });
  });
}
