import type { DbOrTrx } from '../db/client.ts';

/**
 * HOOK for blocking (issue 13): whether `recipientId` blocks `actorId` (or the other way round),
 * in which case fan-out drops the event: no live event, no push. Blocking does not exist yet, so
 * nobody is blocked. When it lands, answer from its repository here and add the test
 * "a blocked user's actions produce no events" to test/realtime/live.test.ts.
 */
export async function isDeliveryBlocked(
  _db: DbOrTrx,
  _recipientId: string,
  _actorId: string,
): Promise<boolean> {
  return false;
}
