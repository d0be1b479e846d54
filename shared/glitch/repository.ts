import { sql } from 'kysely';
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
 * glitch on its source, unless its owner is suspended (`counted` false: a suspended account's
 * glitches count nowhere, shared/users/standing.ts). Returns the source's owner (to notify), or
 * null when the source row is gone (nothing is linked then).
 */
export async function linkGlitch(
  trx: DbOrTrx,
  link: { glitchVideoId: string; sourceVideoId: string; kind: GlitchKind; counted: boolean },
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
  if (link.counted) {
    await trx
      .updateTable('videos')
      .set((eb) => ({ glitch_count: eb('glitch_count', '+', 1) }))
      .where('id', '=', source.id)
      .execute();
  }
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

/**
 * Detaches a glitch from its source (the source's owner's call): the link goes, the source's
 * glitch_count drops if the glitch is live and counted (`counted`: its owner is not suspended;
 * linkGlitch's inverse), and the detached glitch's own descendants are re-rooted on it (their
 * chain now starts there). Returns false when there was no such link. The glitch itself stays
 * its maker's, untouched.
 */
export async function unlinkGlitch(
  trx: DbOrTrx,
  sourceVideoId: string,
  glitchVideoId: string,
  counted: boolean,
): Promise<boolean> {
  const link = await trx
    .deleteFrom('video_glitches')
    .where('glitch_video_id', '=', glitchVideoId)
    .where('source_video_id', '=', sourceVideoId)
    .returning('depth')
    .executeTakeFirst();
  if (!link) return false;
  if (counted) {
    await trx
      .updateTable('videos')
      .set((eb) => ({ glitch_count: eb('glitch_count', '-', 1) }))
      .where('id', '=', sourceVideoId)
      .where('glitch_count', '>', 0)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('videos as gv')
            .select('gv.id')
            .where('gv.id', '=', glitchVideoId)
            .where('gv.deleted_at', 'is', null),
        ),
      )
      .execute();
  }
  await sql`
    WITH RECURSIVE sub AS (
      SELECT glitch_video_id, 1 AS d FROM video_glitches WHERE source_video_id = ${glitchVideoId}
      UNION ALL
      SELECT g.glitch_video_id, sub.d + 1 FROM video_glitches g JOIN sub ON g.source_video_id = sub.glitch_video_id
    )
    UPDATE video_glitches vg SET root_video_id = ${glitchVideoId}, depth = sub.d
    FROM sub WHERE vg.glitch_video_id = sub.glitch_video_id`.execute(trx);
  return true;
}
