import type { DbOrTrx } from '../db/client.ts';
import type { JobStatus } from '../db/schema.ts';
import { recordEvent } from '../realtime/outbox.ts';
import type { JobResultState } from '../realtime/protocol.ts';

/**
 * Tells the job's owner (live sockets; a push when the result is ready or the job failed) that
 * it changed, in the transaction of that change. Called where the state machine moves a job
 * (dispatch.ts, settle.ts) and where its result becomes usable (process-upload, audio copy).
 */
export function announceJob(
  db: DbOrTrx,
  job: { id: string; user_id: string },
  status: JobStatus,
  result: JobResultState = 'none',
) {
  return recordEvent(db, {
    type: 'ai_job.updated',
    recipientId: job.user_id,
    data: { job_id: job.id, status, result },
  });
}
