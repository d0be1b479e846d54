import { ServiceUnavailableError } from '../http/errors.ts';
import { MediaProcessError } from '../media/index.ts';

/**
 * ffmpeg work per request, all of it (a 20-frame strip runs two processes). API Gateway gives up
 * after 30 s; stopping ffmpeg well before that lets `finally` clean /tmp and the caller get a
 * retryable 503 instead of a 504 with files left behind in the Lambda.
 */
export const STUDIO_MEDIA_BUDGET_MS = 20_000;

export function mediaDeadline(): AbortSignal {
  return AbortSignal.timeout(STUDIO_MEDIA_BUDGET_MS);
}

/** Turns an ffmpeg stopped by the deadline into a 503; anything else is rethrown as is. */
export function rethrowMediaTimeout(err: unknown): never {
  if (err instanceof MediaProcessError && (err.reason === 'aborted' || err.reason === 'timeout')) {
    throw new ServiceUnavailableError('The video took too long to process; try again', 'media_timeout');
  }
  throw err;
}
