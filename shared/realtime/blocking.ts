import { isBlockedEitherWay } from '../blocks/repository.ts';
import type { DbOrTrx } from '../db/client.ts';

/**
 * Whether `recipientId` blocks `actorId` (or the other way round), in which case fan-out drops
 * the event: no live event, no push. Checked at delivery, so a block made after the action was
 * recorded still stops it.
 */
export function isDeliveryBlocked(db: DbOrTrx, recipientId: string, actorId: string): Promise<boolean> {
  return isBlockedEitherWay(db, recipientId, actorId);
}
