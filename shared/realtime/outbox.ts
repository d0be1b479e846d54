import { AsyncLocalStorage } from 'node:async_hooks';
import type { DbOrTrx } from '../db/client.ts';
import { kickFanout } from './fanout-queue.ts';
import type {
  AiJobUpdatedData,
  NotificationCreatedData,
  ReportOpenedData,
  SessionRevokedData,
} from './protocol.ts';
import { insertOutboxEvent } from './repository.ts';

/**
 * The transactional outbox. An action records what to tell whom with `recordEvent`, in its own
 * transaction: the event exists exactly when the action committed. Delivery happens later and
 * elsewhere (fan-out worker), so it can neither slow the action down beyond one queue send nor
 * fail it, and an event whose delivery fails stays in the outbox until it is delivered.
 */
export type NewEvent =
  | {
      type: 'notification.created';
      recipientId: string;
      actorId: string | null;
      data: NotificationCreatedData;
    }
  | { type: 'ai_job.updated'; recipientId: string; data: AiJobUpdatedData }
  | { type: 'moderation.report_opened'; recipientId: string; data: ReportOpenedData }
  | { type: 'session.revoked'; recipientId: string; data: SessionRevokedData };

/** Ids recorded during the current invocation (see withEventKicks). */
const recorded = new AsyncLocalStorage<string[]>();

export async function recordEvent(db: DbOrTrx, event: NewEvent): Promise<string> {
  const id = await insertOutboxEvent(db, {
    recipient_id: event.recipientId,
    actor_id: 'actorId' in event ? event.actorId : null,
    type: event.type,
    data: JSON.stringify(event.data),
  });
  recorded.getStore()?.push(id);
  return id;
}

/**
 * Runs one invocation's work (an API request, a worker's batch), then wakes fan-out for the
 * events it recorded. By then every transaction the work opened has committed or rolled back;
 * the wake-up carries ids only, so one for a rolled-back event finds nothing. It runs even when
 * the work throws (a transaction may have committed before the error), and never throws itself.
 */
export async function withEventKicks<T>(work: () => Promise<T>): Promise<T> {
  const ids: string[] = [];
  try {
    return await recorded.run(ids, work);
  } finally {
    await kickFanout(ids);
  }
}
