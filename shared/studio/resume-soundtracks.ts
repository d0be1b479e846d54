import type { Db } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import { MAX_SOUNDTRACK_ATTEMPTS } from './apply-soundtrack.ts';
import { finishSoundtrack, listStalledSoundtracks, touchSoundtrack } from './repository.ts';
import { enqueueSoundtrack } from './soundtrack-queue.ts';

/** An open request untouched this long, with no live run, has lost its message or its worker. */
export const SOUNDTRACK_STALLED_AFTER_SECONDS = 120;
const BATCH = 100;

/**
 * The reconciler's sweep of soundtrack requests: re-sends the message of those nothing works on (the
 * API's send failed, the worker died, the message reached the DLQ), and fails those that had every run
 * they get. Safe alongside live runs: the worker's claim takes only a request with no live lease.
 */
export async function resumeSoundtracks(db: Db, stalledAfterSeconds = SOUNDTRACK_STALLED_AFTER_SECONDS) {
  const counts = { requeued: 0, gaveUp: 0, errors: 0 };
  for (const row of await listStalledSoundtracks(db, stalledAfterSeconds, BATCH)) {
    try {
      if (row.attempts >= MAX_SOUNDTRACK_ATTEMPTS) {
        const error = 'The music could not be put on the video; try again';
        if (await finishSoundtrack(db, row.id, { status: 'failed', error })) counts.gaveUp++;
        continue;
      }
      await touchSoundtrack(db, row.id);
      await enqueueSoundtrack(row.id);
      counts.requeued++;
    } catch (err) {
      counts.errors++;
      logger.error('could not resume a soundtrack', { soundtrack_id: row.id, error: err as Error });
    }
  }
  return counts;
}
