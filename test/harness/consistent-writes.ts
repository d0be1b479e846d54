import { postComment } from '../../shared/comments/service.ts';
import { getDb } from '../../shared/db/client.ts';
import { addFollow } from '../../shared/follows/service.ts';
import { linkGlitch, uncountGlitch } from '../../shared/glitch/repository.ts';
import { addLike } from '../../shared/likes/service.ts';
import { adjustUserVideoCount } from '../../shared/videos/repository.ts';

/**
 * Shortcuts for tests that set up state without the API, through the product's own services,
 * one transaction each: counters, ledgers and links always agree with their rows, so the
 * whole-database invariants (test/reliability/invariants.ts) hold at every moment, for every
 * test file sharing the database. Hand-editing a counter or a row instead breaks them.
 */
export function followAll(pairs: ReadonlyArray<readonly [followerId: string, followeeId: string]>) {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      for (const [follower, followee] of pairs) await addFollow(trx, follower, followee);
    });
}

export function likeVideoAs(userId: string, videoId: string) {
  return getDb()
    .transaction()
    .execute((trx) => addLike(trx, userId, videoId));
}

export function postComments(videoId: string, authorId: string, bodies: readonly string[]) {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      for (const body of bodies) await postComment(trx, { videoId, authorId, body });
    });
}

export function linkGlitchTo(glitchVideoId: string, sourceVideoId: string) {
  return getDb()
    .transaction()
    .execute((trx) => linkGlitch(trx, { glitchVideoId, sourceVideoId, kind: 'animate', counted: true }));
}

/**
 * A video that no longer shows: soft-deleted (as DELETE /v1/videos/{id} leaves it) or back to
 * `processing` (an unfinished upload). Its owner's video_count and its source's glitch_count
 * follow, as they do in the product.
 */
export function hideVideo(videoId: string, how: 'deleted' | 'processing') {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const v = await trx
        .selectFrom('videos')
        .select(['owner_id', 'status', 'deleted_at'])
        .where('id', '=', videoId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const counted = v.status === 'ready' && v.deleted_at === null;
      if (how === 'deleted') {
        if (v.deleted_at === null) await uncountGlitch(trx, videoId);
        await trx.updateTable('videos').set({ deleted_at: new Date() }).where('id', '=', videoId).execute();
      } else {
        await trx.updateTable('videos').set({ status: 'processing' }).where('id', '=', videoId).execute();
      }
      if (counted) await adjustUserVideoCount(trx, v.owner_id, -1);
    });
}
