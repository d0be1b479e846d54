import type { DbOrTrx } from '../db/client.ts';

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
