import { sql } from 'kysely';
import type { z } from 'zod';
import type { Job } from '../../functions/ai/schemas.ts';
import type { DbOrTrx } from '../db/client.ts';
import { mediaUrl } from '../storage/s3.ts';
import type { Cursor } from '../videos/cursor.ts';

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
      sql<string>`(extract(epoch from j.created_at) * 1000000)::bigint::text`.as('created_us'),
    ]);
}

export function findOwnJobView(db: DbOrTrx, id: string, userId: string) {
  return selectJobViews(db).where('j.id', '=', id).where('j.user_id', '=', userId).executeTakeFirst();
}

export function listOwnJobViews(db: DbOrTrx, userId: string, cursor: Cursor | undefined, limit: number) {
  let q = selectJobViews(db).where('j.user_id', '=', userId);
  if (cursor) {
    q = q.where(
      sql<boolean>`(j.created_at, j.id) < (timestamptz 'epoch' + ${cursor.t}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`,
    );
  }
  return q.orderBy('j.created_at', 'desc').orderBy('j.id', 'desc').limit(limit).execute();
}

type JobViewRow = NonNullable<Awaited<ReturnType<typeof findOwnJobView>>>;

export async function toJobView(row: JobViewRow): Promise<z.input<typeof Job>> {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    cost: row.cost,
    source_video_id: row.source_video_id,
    result_video_id: row.result_video_id,
    result_video_status: row.result_video_status,
    audio_url: row.audio_key ? await mediaUrl(row.audio_key) : null,
    error: row.error,
    created_at: row.created_at,
    updated_at: row.updated_at,
    completed_at: row.completed_at,
  };
}
