import { deleteJobsOf } from '../ai/repository.ts';
import { removeAssets } from '../assets/remove.ts';
import { listAssetsOf } from '../assets/repository.ts';
import { purgeCommentsBy } from '../comments/repository.ts';
import type { Db } from '../db/client.ts';
import { deleteFollowsOf } from '../follows/repository.ts';
import { deleteLikesBy } from '../likes/repository.ts';
import { logger } from '../logging/logger.ts';
import { deleteNotificationsOf } from '../notifications/repository.ts';
import { invalidateCdnPaths } from '../storage/cdn.ts';
import { avatarCdnPaths, avatarSmallKey } from '../storage/keys.ts';
import { deleteObjects } from '../storage/s3.ts';
import { deleteSelections, listSelectionsOf } from '../studio/repository.ts';
import { removeVideoMedia } from '../videos/media.ts';
import { listVideosToPurge, purgeVideoRow } from '../videos/repository.ts';
import {
  deleteAccountSecrets,
  deleteExports,
  findDeletedAccount,
  finishPurge,
  listExportsOf,
} from './repository.ts';

/** Rows per step: each step is one short transaction, so the worker can stop anywhere. */
export const PURGE_BATCH = 200;

/**
 * Test hook: called after every committed step, so a test can stop the worker halfway (as a
 * crash or a Lambda timeout would) and check that running it again finishes the job.
 */
export const purgeHooks: { afterStep?: (step: string) => void } = {};

/** `counted`: whether the account's likes, follows and comments are in counters (not suspended). */
type PurgedAccount = { id: string; counted: boolean };
type Step = { name: string; run: (db: Db, account: PurgedAccount) => Promise<number> };

/** Each step removes a batch and says how many rows it touched; 0 means that part is done. */
const STEPS: Step[] = [
  {
    name: 'sessions',
    run: async (db, { id }) => {
      await deleteAccountSecrets(db, id);
      return 0;
    },
  },
  {
    name: 'likes',
    run: (db, { id, counted }) =>
      db.transaction().execute((trx) => deleteLikesBy(trx, id, PURGE_BATCH, counted)),
  },
  {
    name: 'follows',
    run: (db, { id, counted }) =>
      db.transaction().execute((trx) => deleteFollowsOf(trx, id, PURGE_BATCH, counted)),
  },
  {
    name: 'comments',
    run: (db, { id, counted }) =>
      db.transaction().execute((trx) => purgeCommentsBy(trx, id, PURGE_BATCH, counted)),
  },
  { name: 'notifications', run: (db, { id }) => deleteNotificationsOf(db, id, PURGE_BATCH) },
  {
    name: 'videos',
    run: async (db, { id }) => {
      const videos = await listVideosToPurge(db, id, 20);
      for (const v of videos) {
        // Objects (every media revision, original, strip and clip, and the video's CDN paths) first,
        // then the row: a crash in between only repeats an idempotent removal.
        await removeVideoMedia(db, v.id);
        await purgeVideoRow(db, v.id, Boolean(v.in_others_chains));
        purgeHooks.afterStep?.('videos');
      }
      return videos.length;
    },
  },
  {
    name: 'studio',
    run: async (db, { id }) => {
      const rows = await listSelectionsOf(db, id, PURGE_BATCH);
      await deleteObjects(rows.map((r) => r.clip_key));
      if (rows.length)
        await deleteSelections(
          db,
          rows.map((r) => r.id),
        );
      return rows.length;
    },
  },
  {
    name: 'assets',
    run: async (db, { id }) => {
      const rows = await listAssetsOf(db, id, PURGE_BATCH);
      await removeAssets(db, rows);
      return rows.length;
    },
  },
  { name: 'jobs', run: (db, { id }) => deleteJobsOf(db, id, PURGE_BATCH) },
  {
    name: 'exports',
    run: async (db, { id }) => {
      const rows = await listExportsOf(db, id, PURGE_BATCH);
      await deleteObjects(rows.flatMap((r) => (r.object_key ? [r.object_key] : [])));
      if (rows.length)
        await deleteExports(
          db,
          rows.map((r) => r.id),
        );
      return rows.length;
    },
  },
];

/**
 * Removes everything a deleted account left: idempotent and resumable. Every step works in
 * batches, each its own transaction that moves the counters it affects (others' like, comment,
 * follower, following and glitch counts stay exact at every point), and is simply repeated until
 * nothing is left, so a run that dies anywhere is finished by the next one. What stays: the
 * anonymous account row, its ledger rows, comment placeholders others answered, and video
 * tombstones others' glitches were made from (their source shows as unavailable).
 */
export async function purgeAccount(db: Db, userId: string): Promise<'purged' | 'ignored'> {
  const account = await findDeletedAccount(db, userId);
  if (!account?.deleted_at) {
    logger.warn('deletion message for an account that is not deleted', { user_id: userId });
    return 'ignored';
  }
  for (const step of STEPS) {
    for (;;) {
      const touched = await step.run(db, { id: userId, counted: account.suspended_at === null });
      purgeHooks.afterStep?.(step.name);
      if (touched === 0) break;
    }
  }
  if (account.avatar_key) {
    await deleteObjects([account.avatar_key, avatarSmallKey(account.avatar_key)]);
    await invalidateCdnPaths(avatarCdnPaths(userId));
  }
  await finishPurge(db, userId);
  logger.info('account purged', { user_id: userId, already: Boolean(account.purged_at) });
  return 'purged';
}
