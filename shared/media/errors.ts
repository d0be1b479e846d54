/** Why an upload was refused: short, stable, safe to store and to show as an error code. */
export type InvalidMediaReason = 'not_a_video' | 'no_video_stream' | 'corrupt' | 'unsupported_format';

/** The file itself is unacceptable (a user error, not an infrastructure failure): do not retry. */
export class InvalidMediaError extends Error {
  constructor(
    readonly reason: InvalidMediaReason,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidMediaError';
  }
}

export type MediaProcessFailure =
  | 'exit' // non-zero exit code or killed by a signal we did not send
  | 'timeout'
  | 'aborted'
  | 'spawn_failed' // binary missing or not executable
  | 'output_too_large'
  | 'no_output'; // ffmpeg exited 0 but wrote nothing (e.g. a seek past the last frame)

/** ffmpeg/ffprobe could not do the job. Usually worth logging with `stderrTail`; may be retryable. */
export class MediaProcessError extends Error {
  constructor(
    readonly reason: MediaProcessFailure,
    message: string,
    readonly details: {
      binary?: string;
      exitCode?: number | null;
      signal?: NodeJS.Signals | null;
      /** The last ~2 KB of stderr, where ffmpeg prints the actual error. */
      stderrTail?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MediaProcessError';
  }

  get exitCode(): number | null {
    return this.details.exitCode ?? null;
  }

  get stderrTail(): string {
    return this.details.stderrTail ?? '';
  }
}
