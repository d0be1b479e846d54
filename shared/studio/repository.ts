import { type ExpressionBuilder, type Insertable, sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { Database, VideoSoundtracksTable } from '../db/schema.ts';

export function insertSelection(
  db: DbOrTrx,
  selection: {
    id: string;
    user_id: string;
    video_id: string;
    start_ms: number;
    end_ms: number;
    clip_key: string;
  },
) {
  return db.insertInto('studio_selections').values(selection).returningAll().executeTakeFirstOrThrow();
}

/**
 * The caller's own selection, or undefined (someone else's looks missing). It does not check the
 * source video: callers decide whether it must still be visible (getStudioSelection, glitches do).
 */
export function findOwnSelection(db: DbOrTrx, id: string, userId: string) {
  return db
    .selectFrom('studio_selections')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export type StudioSelection = NonNullable<Awaited<ReturnType<typeof findOwnSelection>>>;

/** Account deletion: a batch of a person's studio selections, with their clips' keys. */
export function listSelectionsOf(db: DbOrTrx, userId: string, limit: number) {
  return db
    .selectFrom('studio_selections')
    .select(['id', 'clip_key'])
    .where('user_id', '=', userId)
    .limit(limit)
    .execute();
}

export function deleteSelections(db: DbOrTrx, ids: string[]) {
  return db.deleteFrom('studio_selections').where('id', 'in', ids).execute();
}

/** Every clip cut from a video, whoever cut it (removed with the video). */
export async function listClipKeysOfVideo(db: DbOrTrx, videoId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('studio_selections')
    .select('clip_key')
    .where('video_id', '=', videoId)
    .execute();
  return rows.map((r) => r.clip_key);
}

/** One range preview: the primary key of studio_previews. */
export interface PreviewId {
  video_id: string;
  media_rev: number;
  start_ms: number;
  end_ms: number;
}

const samePreview = (id: PreviewId) => (eb: ExpressionBuilder<Database, 'studio_previews'>) =>
  eb.and([
    eb('video_id', '=', id.video_id),
    eb('media_rev', '=', id.media_rev),
    eb('start_ms', '=', id.start_ms),
    eb('end_ms', '=', id.end_ms),
  ]);

/**
 * Makes the caller the maker of a preview: a new row, or one whose maker's lease ran out (it died:
 * `runs` counts the takeover). Undefined when the preview is ready or someone else is making it.
 */
export function claimPreview(db: DbOrTrx, id: PreviewId, clipKey: string, leaseSeconds: number) {
  const lease = sql<Date>`now() + make_interval(secs => ${leaseSeconds})`;
  return db
    .insertInto('studio_previews')
    .values({ ...id, status: 'making', clip_key: clipKey, lease_until: lease })
    .onConflict((oc) =>
      oc
        .columns(['video_id', 'media_rev', 'start_ms', 'end_ms'])
        .doUpdateSet((eb) => ({ lease_until: lease, runs: eb('studio_previews.runs', '+', 1) }))
        .where('studio_previews.status', '=', 'making')
        .where('studio_previews.lease_until', '<', sql<Date>`now()`),
    )
    .returningAll()
    .executeTakeFirst();
}

export function findPreview(db: DbOrTrx, id: PreviewId) {
  return db.selectFrom('studio_previews').selectAll().where(samePreview(id)).executeTakeFirst();
}

export function markPreviewReady(
  db: DbOrTrx,
  id: PreviewId,
  clip: { duration_ms: number; width: number; height: number },
) {
  return db
    .updateTable('studio_previews')
    .set({ ...clip, status: 'ready', lease_until: null })
    .where(samePreview(id))
    .where('status', '=', 'making')
    .execute();
}

/** A maker that failed lets go, so a waiting request (or the next one) makes it instead. */
export function dropPreviewClaim(db: DbOrTrx, id: PreviewId) {
  return db.deleteFrom('studio_previews').where(samePreview(id)).where('status', '=', 'making').execute();
}

/** Every range preview made of a video, whatever its revision (removed with the video). */
export async function listPreviewKeysOfVideo(db: DbOrTrx, videoId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('studio_previews')
    .select('clip_key')
    .where('video_id', '=', videoId)
    .execute();
  return rows.map((r) => r.clip_key);
}

/** Forgets the previews of a video's revisions other than `keepRev`; returns their keys to delete. */
export async function retirePreviews(db: DbOrTrx, videoId: string, keepRev: number): Promise<string[]> {
  const rows = await db
    .deleteFrom('studio_previews')
    .where('video_id', '=', videoId)
    .where('media_rev', '<>', keepRev)
    .returning('clip_key')
    .execute();
  return rows.map((r) => r.clip_key);
}

type NewSoundtrack = Omit<Insertable<VideoSoundtracksTable>, 'id' | 'status' | 'created_at' | 'updated_at'>;

export function insertSoundtrack(db: DbOrTrx, soundtrack: NewSoundtrack) {
  return db.insertInto('video_soundtracks').values(soundtrack).returningAll().executeTakeFirstOrThrow();
}

export function findSoundtrack(db: DbOrTrx, id: string) {
  return db.selectFrom('video_soundtracks').selectAll().where('id', '=', id).executeTakeFirst();
}

export type SoundtrackRow = NonNullable<Awaited<ReturnType<typeof findSoundtrack>>>;

/** The caller's own request, or undefined (someone else's looks missing). */
export function findOwnSoundtrack(db: DbOrTrx, id: string, userId: string) {
  return db
    .selectFrom('video_soundtracks')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function findSoundtrackByKey(db: DbOrTrx, userId: string, idempotencyKey: string) {
  return db
    .selectFrom('video_soundtracks')
    .selectAll()
    .where('user_id', '=', userId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}

/** The video's most recent request: the one whose music it has (or will have). */
export function findLatestSoundtrack(db: DbOrTrx, videoId: string) {
  return db
    .selectFrom('video_soundtracks')
    .selectAll()
    .where('video_id', '=', videoId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

const OPEN_SOUNDTRACK = ['queued', 'processing'] as const;
const leaseFor = (seconds: number) => sql<Date>`now() + make_interval(secs => ${seconds})`;

/**
 * Starts a run on an open request that no live run holds: `processing`, a lease, one more attempt.
 * Undefined when it is finished or held (a duplicate message: that run will finish it).
 */
export function claimSoundtrack(db: DbOrTrx, id: string, leaseSeconds: number) {
  return db
    .updateTable('video_soundtracks')
    .set((eb) => ({
      status: 'processing',
      attempts: eb('attempts', '+', 1),
      lease_until: leaseFor(leaseSeconds),
      updated_at: sql`now()`,
    }))
    .where('id', '=', id)
    .where('status', 'in', OPEN_SOUNDTRACK)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
    .returningAll()
    .executeTakeFirst();
}

export function renewSoundtrackLease(db: DbOrTrx, id: string, leaseSeconds: number) {
  return db
    .updateTable('video_soundtracks')
    .set({ lease_until: leaseFor(leaseSeconds) })
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .execute();
}

/** A run that did not finish the request lets the next delivery take it at once. */
export function releaseSoundtrackLease(db: DbOrTrx, id: string) {
  return db
    .updateTable('video_soundtracks')
    .set({ lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .execute();
}

/** Ends an open request (only once: a finished one is left alone). */
export function finishSoundtrack(
  db: DbOrTrx,
  id: string,
  end: { status: 'ready'; media_rev: number } | { status: 'failed'; error: string },
) {
  return db
    .updateTable('video_soundtracks')
    .set({ ...end, lease_until: null, updated_at: sql`now()`, completed_at: sql`now()` })
    .where('id', '=', id)
    .where('status', 'in', OPEN_SOUNDTRACK)
    .returning('id')
    .executeTakeFirst();
}

/**
 * Open requests nothing is working on: queued for longer than `seconds` (a lost message), or processing
 * with an expired lease (a worker died). Oldest first.
 */
export function listStalledSoundtracks(db: DbOrTrx, seconds: number, limit: number) {
  return db
    .selectFrom('video_soundtracks')
    .select(['id', 'attempts'])
    .where('status', 'in', OPEN_SOUNDTRACK)
    .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}

/** Re-enqueued: the sweep looks at it again only after another quiet period. */
export function touchSoundtrack(db: DbOrTrx, id: string) {
  return db.updateTable('video_soundtracks').set({ updated_at: sql`now()` }).where('id', '=', id).execute();
}
