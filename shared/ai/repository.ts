import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { JobKind, JobStatus } from '../db/schema.ts';
import { type Cursor, epochMicros, olderThan } from '../pagination/keyset.ts';
import { OPEN_STATUSES } from './catalogue.ts';

/** How long a dispatcher may hold a job while it creates the prediction. */
const DISPATCH_LEASE = sql`interval '2 minutes'`;

export function insertJob(
  db: DbOrTrx,
  job: {
    id: string;
    user_id: string;
    kind: JobKind;
    cost: number;
    model: string;
    input: Record<string, unknown>;
    source_video_id?: string | null;
    selection_id?: string | null;
  },
) {
  return db
    .insertInto('ai_jobs')
    .values({ ...job, input: JSON.stringify(job.input) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findJob(db: DbOrTrx, id: string) {
  return db.selectFrom('ai_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findJobByPrediction(db: DbOrTrx, predictionId: string) {
  return db.selectFrom('ai_jobs').selectAll().where('prediction_id', '=', predictionId).executeTakeFirst();
}

export function findOwnJob(db: DbOrTrx, id: string, userId: string) {
  return db
    .selectFrom('ai_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function findOwnJobForUpdate(db: DbOrTrx, id: string, userId: string) {
  return db
    .selectFrom('ai_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Takes the job for dispatch if it is still queued, has no prediction and no live lease.
 * Returns null when another delivery already has it or it is done: the caller then does nothing.
 */
export function claimForDispatch(db: DbOrTrx, id: string) {
  return db
    .updateTable('ai_jobs')
    .set({
      dispatch_lease_until: sql`now() + ${DISPATCH_LEASE}`,
      attempts: sql`attempts + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .where('prediction_id', 'is', null)
    .where((eb) =>
      eb.or([eb('dispatch_lease_until', 'is', null), eb('dispatch_lease_until', '<', sql<Date>`now()`)]),
    )
    .returningAll()
    .executeTakeFirst();
}

export function releaseDispatchLease(db: DbOrTrx, id: string) {
  return db.updateTable('ai_jobs').set({ dispatch_lease_until: null }).where('id', '=', id).execute();
}

export function recordPrediction(db: DbOrTrx, id: string, predictionId: string) {
  return db
    .updateTable('ai_jobs')
    .set({
      prediction_id: predictionId,
      status: 'starting',
      dispatch_lease_until: null,
      started_at: sql`coalesce(started_at, now())`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('prediction_id', 'is', null)
    .where('status', '=', 'queued')
    .execute();
}

/** Moves an open job forward (queued → starting → processing); never backwards, never out of a terminal state. */
export function advanceJob(db: DbOrTrx, id: string, status: 'starting' | 'processing', predictionId: string) {
  const from: JobStatus[] = status === 'starting' ? ['queued'] : ['queued', 'starting'];
  return db
    .updateTable('ai_jobs')
    .set({
      status,
      prediction_id: sql`coalesce(prediction_id, ${predictionId})`,
      started_at: sql`coalesce(started_at, now())`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('status', 'in', from)
    .execute();
}

/** The single transition into a terminal state; returns the job only for the caller that made it. */
export function finishJob(
  db: DbOrTrx,
  id: string,
  change: {
    status: 'succeeded' | 'failed' | 'canceled' | 'aborted';
    error?: string | null;
    output?: unknown;
  },
) {
  return db
    .updateTable('ai_jobs')
    .set({
      status: change.status,
      error: change.error ?? null,
      ...(change.output !== undefined ? { output: JSON.stringify(change.output) } : {}),
      completed_at: sql`now()`,
      updated_at: sql`now()`,
      dispatch_lease_until: null,
    })
    .where('id', '=', id)
    .where('status', 'in', OPEN_STATUSES)
    .returningAll()
    .executeTakeFirst();
}

export function setJobResult(
  db: DbOrTrx,
  id: string,
  result: { result_video_id?: string; result_asset_id?: string },
) {
  return db.updateTable('ai_jobs').set(result).where('id', '=', id).execute();
}

/** Jobs with their result's state, in one query (no per-row lookups). */
function selectJobViews(db: DbOrTrx) {
  return db
    .selectFrom('ai_jobs as j')
    .leftJoin('videos as v', 'v.id', 'j.result_video_id')
    .leftJoin('media_assets as a', (join) =>
      join.onRef('a.id', '=', 'j.result_asset_id').on('a.status', '=', 'ready'),
    )
    .select([
      'j.id',
      'j.user_id',
      'j.kind',
      'j.status',
      'j.cost',
      'j.source_video_id',
      'j.result_video_id',
      'j.error',
      'j.created_at',
      'j.updated_at',
      'j.completed_at',
      'v.status as result_video_status',
      'a.object_key as audio_key',
      epochMicros('j.created_at').as('created_us'),
    ]);
}

export function findOwnJobView(db: DbOrTrx, id: string, userId: string) {
  return selectJobViews(db).where('j.id', '=', id).where('j.user_id', '=', userId).executeTakeFirst();
}

export function listOwnJobViews(db: DbOrTrx, userId: string, cursor: Cursor | undefined, limit: number) {
  let q = selectJobViews(db).where('j.user_id', '=', userId);
  if (cursor) q = q.where(olderThan('j.created_at', 'j.id', cursor));
  return q.orderBy('j.created_at', 'desc').orderBy('j.id', 'desc').limit(limit).execute();
}

/** For the reconciler: succeeded jobs whose media never arrived in our bucket. */
export function listUncopiedOutputs(db: DbOrTrx, olderThanSeconds: number) {
  return db
    .selectFrom('ai_jobs as j')
    .leftJoin('videos as v', 'v.id', 'j.result_video_id')
    .leftJoin('media_assets as a', 'a.id', 'j.result_asset_id')
    .select(['j.id'])
    .where('j.status', '=', 'succeeded')
    .where('j.completed_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .where((eb) => eb.or([eb('v.status', '=', 'uploading'), eb('a.status', '=', 'uploading')]))
    .limit(100)
    .execute();
}

/** Jobs in one of `statuses` that nothing has touched for `seconds` (the reconciler's work list). */
export function listQuietJobs(db: DbOrTrx, statuses: JobStatus[], seconds: number) {
  return db
    .selectFrom('ai_jobs')
    .selectAll()
    .where('status', 'in', statuses)
    .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .limit(200)
    .execute();
}

/** Marks a job as looked at now, so the next reconciler run leaves it alone for a while. */
export function touchJob(db: DbOrTrx, id: string) {
  return db.updateTable('ai_jobs').set({ updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Replicate's `webhook-id` of a delivery already applied (retries reuse the id). */
export async function isWebhookDeliverySeen(db: DbOrTrx, webhookId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select('webhook_id')
    .where('webhook_id', '=', webhookId)
    .executeTakeFirst();
  return row !== undefined;
}

export function recordWebhookDelivery(
  db: DbOrTrx,
  delivery: { webhookId: string; predictionId: string; status: string },
) {
  return db
    .insertInto('webhook_deliveries')
    .values({
      webhook_id: delivery.webhookId,
      prediction_id: delivery.predictionId,
      status: delivery.status,
    })
    .onConflict((oc) => oc.column('webhook_id').doNothing())
    .execute();
}

export type JobViewRow = NonNullable<Awaited<ReturnType<typeof findOwnJobView>>>;

export type AiJob = NonNullable<Awaited<ReturnType<typeof findJob>>>;

/** Account deletion: removes a batch of a person's jobs (ledger rows keep their amounts; job_id → null). */
export async function deleteJobsOf(db: DbOrTrx, userId: string, limit: number): Promise<number> {
  const rows = await db
    .deleteFrom('ai_jobs')
    .where('id', 'in', (eb) =>
      eb.selectFrom('ai_jobs').select('id').where('user_id', '=', userId).limit(limit),
    )
    .returning('id')
    .execute();
  return rows.length;
}
