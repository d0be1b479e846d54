import type { DbOrTrx } from '../db/client.ts';

/**
 * The live video someone may react to or read the comments of: public and ready for anyone,
 * any state for its owner, never deleted. Everything else looks missing (404), so private
 * videos cannot be probed through likes or comments. No row lock: the counters are updated
 * with relative `SET x = x ± 1` statements, which serialise on the row by themselves.
 */
export function findAccessibleVideo(db: DbOrTrx, id: string, viewerId: string | null) {
  return db
    .selectFrom('videos as v')
    .select(['v.id', 'v.owner_id', 'v.like_count', 'v.comment_count'])
    .where('v.id', '=', id)
    .where('v.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('v.status', '=', 'ready'), eb('v.visibility', '=', 'public')]),
        ...(viewerId ? [eb('v.owner_id', '=', viewerId)] : []),
      ]),
    )
    .executeTakeFirst();
}

export type AccessibleVideo = NonNullable<Awaited<ReturnType<typeof findAccessibleVideo>>>;
