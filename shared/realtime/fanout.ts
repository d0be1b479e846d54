import type { DbOrTrx } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import { forgetSessionDevices, pushEvent } from '../push/deliver.ts';
import { isDeliveryBlocked } from './blocking.ts';
import { deleteConnection, postToConnection } from './management.ts';
import { type LiveEvent, type ServerMessage, SessionRevokedData } from './protocol.ts';
import {
  claimEvents,
  deleteConnections,
  finishEvent,
  listLiveConnections,
  listSessionConnections,
  markEventStep,
  type OutboxEvent,
  releaseEvent,
} from './repository.ts';

/** How long one attempt may hold an event before another wake-up may try it. */
const EVENT_LEASE_SECONDS = 60;

/**
 * Posts one message to each socket; gone ones (410) are forgotten. Other failures are rethrown
 * once every socket had its turn: the whole step is retried, and a socket that already got the
 * message gets it again (clients drop events whose id they have seen).
 */
export async function postToSockets(
  db: DbOrTrx,
  connectionIds: readonly string[],
  message: ServerMessage,
): Promise<void> {
  const gone: string[] = [];
  let failure: unknown;
  for (const id of connectionIds) {
    try {
      if (!(await postToConnection(id, message))) gone.push(id);
    } catch (err) {
      failure = err;
    }
  }
  await deleteConnections(db, gone);
  if (failure) throw failure;
}

/** Tells sockets why they are closing, then closes them (API Gateway runs $disconnect). */
export async function closeSockets(
  db: DbOrTrx,
  connectionIds: readonly string[],
  reason: 'expired' | 'revoked',
): Promise<void> {
  for (const id of connectionIds) {
    if (await postToConnection(id, { type: 'session.closing', data: { reason } })) await deleteConnection(id);
  }
  await deleteConnections(db, connectionIds);
}

function toLiveEvent(e: OutboxEvent): LiveEvent {
  // The outbox holds the data the recorder typed (outbox.ts NewEvent); session.revoked never gets here.
  return { id: e.id, type: e.type, created_at: e.created_at.toISOString(), data: e.data } as LiveEvent;
}

/** One event, step by step; a step already done (an earlier attempt) is not repeated. */
async function deliver(db: DbOrTrx, e: OutboxEvent): Promise<void> {
  if (e.actor_id && (await isDeliveryBlocked(db, e.recipient_id, e.actor_id))) {
    return void (await finishEvent(db, e.id, 'blocked'));
  }
  if (e.type === 'session.revoked') {
    const { session_id } = SessionRevokedData.parse(e.data);
    const sockets = await listSessionConnections(db, e.recipient_id, session_id);
    await closeSockets(
      db,
      sockets.map((s) => s.connection_id),
      'revoked',
    );
    await forgetSessionDevices(db, e.recipient_id, session_id);
    return void (await finishEvent(db, e.id));
  }
  if (!e.live_done_at) {
    const sockets = await listLiveConnections(db, e.recipient_id);
    await postToSockets(
      db,
      sockets.map((s) => s.connection_id),
      toLiveEvent(e),
    );
    await markEventStep(db, e.id, 'live_done_at');
  }
  if (!e.push_done_at) {
    await pushEvent(db, e);
    await markEventStep(db, e.id, 'push_done_at');
  }
  await finishEvent(db, e.id);
}

/**
 * Delivers the given outbox events (a wake-up's ids): each is leased, so a duplicate wake-up
 * skips it while in progress and finds it done afterwards. Returns how many failed; those keep
 * their error and are retried by the queue's redelivery and, failing that, the sweeper.
 */
export async function deliverEvents(
  db: DbOrTrx,
  ids: readonly string[],
): Promise<{ delivered: number; failed: number }> {
  const events = await claimEvents(db, ids, EVENT_LEASE_SECONDS);
  let failed = 0;
  for (const e of events) {
    try {
      await deliver(db, e);
    } catch (err) {
      failed++;
      logger.warn('event delivery failed; it will be retried', { event_id: e.id, error: err as Error });
      await releaseEvent(db, e.id, err instanceof Error ? err.message : String(err));
    }
  }
  return { delivered: events.length - failed, failed };
}
