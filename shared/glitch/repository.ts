import type { DbOrTrx } from '../db/client.ts';
import type { GlitchKind } from '../db/schema.ts';
import { type Cursor, olderThan } from '../pagination/keyset.ts';
import { selectVideoViews } from '../videos/repository.ts';
import { publiclyVisibleTo } from '../videos/visibility.ts';

/**
 * Glitch chains: `video_glitches` links a glitch to the video it was made from (and the chain's
 * root), and the source's `glitch_count` counts its live glitches. `linkGlitch` and
 * `uncountGlitch` are each other's inverse and keep that count equal to the rows.
 */

/**
 * Records the chain link (source → glitch, with the chain's root and depth) and counts the
 * glitch on its source. Returns the source's owner (to notify), or null when the source row
 * is gone (nothing is linked then).
 */
export async function linkGlitch(
  trx: DbOrTrx,
  link: { glitchVideoId: string; sourceVideoId: string; kind: GlitchKind },
): Promise<{ sourceOwnerId: string } | null> {
  const source = await trx
    .selectFrom('videos as v')
    .leftJoin('video_glitches as g', 'g.glitch_video_id', 'v.id')
    .select(['v.id', 'v.owner_id', 'g.root_video_id', 'g.depth'])
    .where('v.id', '=', link.sourceVideoId)
    .executeTakeFirst();
  if (!source) return null;
  await trx
    .insertInto('video_glitches')
    .values({
      glitch_video_id: link.glitchVideoId,
      source_video_id: source.id,
      root_video_id: source.root_video_id ?? source.id,
      kind: link.kind,
      depth: (source.depth ?? 0) + 1,
    })
    .execute();
  await trx
    .updateTable('videos')
    .set((eb) => ({ glitch_count: eb('glitch_count', '+', 1) }))
    .where('id', '=', source.id)
    .execute();
  return { sourceOwnerId: source.owner_id };
}

/** Decrements the source's glitch_count when a glitch made from it is deleted (linkGlitch's inverse). */
export async function uncountGlitch(db: DbOrTrx, glitchVideoId: string) {
  await db
    .updateTable('videos')
    .set((eb) => ({ glitch_count: eb('glitch_count', '-', 1) }))
    .where('id', '=', (eb) =>
      eb.selectFrom('video_glitches').select('source_video_id').where('glitch_video_id', '=', glitchVideoId),
    )
    .where('glitch_count', '>', 0)
    .execute();
}

export function findGlitchLink(db: DbOrTrx, glitchVideoId: string) {
  return db
    .selectFrom('video_glitches')
    .selectAll()
    .where('glitch_video_id', '=', glitchVideoId)
    .executeTakeFirst();
}

/** Public glitches made from a video, newest first (`limit + 1` rows for toPage). */
export function listGlitchesOf(
  db: DbOrTrx,
  opts: { sourceVideoId: string; viewerId: string | null; cursor?: Cursor; limit: number },
) {
  let q = selectVideoViews(db, opts.viewerId)
    .where('g.source_video_id', '=', opts.sourceVideoId)
    .where(publiclyVisibleTo(opts.viewerId));
  if (opts.cursor) q = q.where(olderThan('v.created_at', 'v.id', opts.cursor));
  return q.orderBy('v.created_at', 'desc').orderBy('v.id', 'desc').limit(opts.limit).execute();
}
