import type { Db } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import { enqueueDeletion, enqueueExport } from './queues.ts';
import { listStalledExports, listStalledPurges } from './repository.ts';

/** A deletion or export this old without progress lost its message (the enqueue after commit failed). */
export const STALLED_AFTER_SECONDS = 15 * 60;

/**
 * The reconciler's account sweep: re-sends the message of deletions and exports that never got
 * going. Both workers are idempotent, so a message sent twice costs a second, empty pass.
 */
export async function resumeStalledAccountWork(db: Db): Promise<{ resumed: number; errors: number }> {
  const counts = { resumed: 0, errors: 0 };
  const purges = await listStalledPurges(db, STALLED_AFTER_SECONDS, 100);
  const exports = await listStalledExports(db, STALLED_AFTER_SECONDS, 100);
  const sends = [
    ...purges.map((p) => () => enqueueDeletion(p.id)),
    ...exports.map((e) => () => enqueueExport(e.id)),
  ];
  for (const send of sends) {
    try {
      await send();
      counts.resumed++;
    } catch (err) {
      counts.errors++;
      logger.error('could not resume account work', { error: err as Error });
    }
  }
  return counts;
}
