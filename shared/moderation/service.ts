import { endAllSessions } from '../auth/sessions.ts';
import type { AuthUser } from '../auth/tokens.ts';
import { setCommentTakedown } from '../comments/service.ts';
import type { Db, DbOrTrx } from '../db/client.ts';
import { retryTransaction } from '../db/retry.ts';
import type { ModerationAction, ReportTargetType } from '../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors.ts';
import { trySendMail } from '../mail/send.ts';
import { adjustUserVideoCount } from '../videos/repository.ts';
import {
  dismissOpenReport,
  findNoticeRecipient,
  insertAuditEntry,
  lockRole,
  lockUserForModeration,
  lockVideoForModeration,
  releaseHeldVideo,
  resolveReportsOn,
  setSuspension,
  setVideoRemoval,
} from './repository.ts';

/**
 * The media moves of takedowns, restores and releases (S3, the CDN) load on first use, before the
 * transaction opens: most moderation calls (queue, reports, comments, suspensions) never need them.
 */
const takedownMedia = () => import('./takedown-media.ts');
/** The recounts of a suspension and of its end, likewise. */
const suspensionCounts = () => import('./suspension-counts.ts');

const notModerator = () => new ForbiddenError('Moderators only', 'not_moderator');

/**
 * Moderation writes trust the database, not the token: the caller's role is read (and row-locked
 * until commit) in the write's own transaction, so a demotion or suspension takes effect at once.
 */
export async function requireModerator(trx: DbOrTrx, caller: AuthUser): Promise<void> {
  const role = await lockRole(trx, caller.id);
  if (role !== 'moderator' && role !== 'admin') throw notModerator();
}

/** Reads need a moderator too; the per-request role (read with the session) is enough there. */
export function requireModeratorToRead(caller: AuthUser): void {
  if (caller.role !== 'moderator' && caller.role !== 'admin') throw notModerator();
}

async function audit(
  trx: DbOrTrx,
  caller: AuthUser,
  action: ModerationAction,
  target: { type: ReportTargetType | 'report'; id: string },
  reason: string,
) {
  await insertAuditEntry(trx, {
    moderator_id: caller.id,
    action,
    target_type: target.type,
    target_id: target.id,
    reason,
  });
}

/** Tells the owner what happened and why, after commit (a mail failure never undoes the action). */
async function notifyOwner(
  db: DbOrTrx,
  ownerId: string,
  action: 'video_removed' | 'comment_removed' | 'account_suspended',
  reason: string,
) {
  const to = await findNoticeRecipient(db, ownerId);
  if (to)
    await trySendMail({
      to: to.email,
      template: { kind: 'moderation_notice', action, reason },
      locale: to.locale,
    });
}

export interface ModerationOutcome {
  target_type: ReportTargetType | 'report';
  target_id: string;
  action: Exclude<ModerationAction, 'grant_role'>;
  reason: string;
}

/**
 * Takes a video down: hidden everywhere at once (shared/videos/visibility.ts), open reports on it
 * actioned, an audit entry, the owner mailed. With `purgeMedia` its objects are deleted too
 * (after commit; a final decision: it can no longer be restored).
 */
export async function applyVideoTakedown(
  db: Db,
  caller: AuthUser,
  videoId: string,
  input: { reason: string; purge_media?: boolean },
): Promise<ModerationOutcome> {
  const { hideTakenDownMedia, removeTakenDownVideoMedia } = await takedownMedia();
  const { video, hidden } = await db.transaction().execute(async (trx) => {
    await requireModerator(trx, caller);
    const v = await lockVideoForModeration(trx, videoId);
    if (!v) throw new NotFoundError('Video');
    await setVideoRemoval(trx, v.id, { reason: input.reason, purged: Boolean(input.purge_media) });
    await resolveReportsOn(trx, 'video', v.id, caller.id, 'actioned');
    await audit(trx, caller, 'take_down', { type: 'video', id: v.id }, input.reason);
    // Public media leave the CDN now; a purge deletes every revision anyway.
    return { video: v, hidden: input.purge_media ? undefined : await hideTakenDownMedia(trx, v) };
  });
  if (input.purge_media) await removeTakenDownVideoMedia(db, video);
  else await hidden?.(db);
  await notifyOwner(db, video.owner_id, 'video_removed', input.reason);
  return { target_type: 'video', target_id: videoId, action: 'take_down', reason: input.reason };
}

export async function liftVideoTakedown(db: Db, caller: AuthUser, videoId: string, reason: string) {
  const { placeVideoMedia } = await takedownMedia();
  const unhidden = await db.transaction().execute(async (trx) => {
    await requireModerator(trx, caller);
    const v = await lockVideoForModeration(trx, videoId);
    if (!v) throw new NotFoundError('Video');
    if (v.media_purged_at) {
      throw new ConflictError(
        "This video's media was deleted by its takedown; it cannot be restored",
        undefined,
        'media_removed',
      );
    }
    await setVideoRemoval(trx, v.id, null);
    await audit(trx, caller, 'restore', { type: 'video', id: v.id }, reason);
    // Back where its visibility says (the CDN for a public one); a held video's stay private.
    return placeVideoMedia(trx, { ...v, removed_at: null });
  });
  await unhidden?.(db);
  return { target_type: 'video' as const, target_id: videoId, action: 'restore' as const, reason };
}

/**
 * A held AI output (poster frame flagged by screening) reviewed and published: its media move from
 * private/ to where its visibility says (the CDN for a public one) in the same transaction, and the
 * held revision is retired once that has committed.
 */
export async function publishHeldVideo(db: Db, caller: AuthUser, videoId: string, reason: string) {
  const { placeVideoMedia } = await takedownMedia();
  const published = await db.transaction().execute(async (trx) => {
    await requireModerator(trx, caller);
    const v = await lockVideoForModeration(trx, videoId);
    if (!v) throw new NotFoundError('Video');
    if (v.status !== 'held') throw new NotFoundError('Held video');
    if (await releaseHeldVideo(trx, v.id)) await adjustUserVideoCount(trx, v.owner_id, 1);
    await audit(trx, caller, 'release_held', { type: 'video', id: v.id }, reason);
    return placeVideoMedia(trx, { ...v, status: 'ready' });
  });
  await published?.(db);
  return { target_type: 'video' as const, target_id: videoId, action: 'release_held' as const, reason };
}

export async function applyCommentTakedown(db: Db, caller: AuthUser, commentId: string, reason: string) {
  const comment = await db.transaction().execute(async (trx) => {
    await requireModerator(trx, caller);
    const c = await setCommentTakedown(trx, commentId, reason);
    if (!c) throw new NotFoundError('Comment');
    await resolveReportsOn(trx, 'comment', c.id, caller.id, 'actioned');
    await audit(trx, caller, 'take_down', { type: 'comment', id: c.id }, reason);
    return c;
  });
  await notifyOwner(db, comment.author_id, 'comment_removed', reason);
  return { target_type: 'comment' as const, target_id: commentId, action: 'take_down' as const, reason };
}

export async function liftCommentTakedown(db: Db, caller: AuthUser, commentId: string, reason: string) {
  await db.transaction().execute(async (trx) => {
    await requireModerator(trx, caller);
    const c = await setCommentTakedown(trx, commentId, null);
    if (!c) throw new NotFoundError('Comment');
    await audit(trx, caller, 'restore', { type: 'comment', id: c.id }, reason);
  });
  return { target_type: 'comment' as const, target_id: commentId, action: 'restore' as const, reason };
}

/**
 * Suspends an account: every session revoked (live sockets closed, push devices forgotten), no
 * new sign-in, its content and profile hidden from everyone. Staff accounts are not suspended
 * through the API (an admin demotes them first, from the CLI).
 */
export async function applySuspension(db: Db, caller: AuthUser, userId: string, reason: string) {
  const { uncountSuspendedAccount } = await suspensionCounts();
  const target = await retryTransaction(() =>
    db.transaction().execute(async (trx) => {
      await requireModerator(trx, caller);
      const u = await lockUserForModeration(trx, userId);
      if (!u) throw new NotFoundError('User');
      if (u.role !== 'user')
        throw new ForbiddenError('Moderators and admins cannot be suspended here', 'cannot_moderate_staff');
      await setSuspension(trx, u.id, reason);
      // Its likes, follows, comments and glitches leave others' counters once; a repeat only
      // changes the reason.
      if (u.suspended_at === null) await uncountSuspendedAccount(trx, u.id);
      await endAllSessions(trx, u.id);
      await resolveReportsOn(trx, 'user', u.id, caller.id, 'actioned');
      await audit(trx, caller, 'suspend', { type: 'user', id: u.id }, reason);
      return u;
    }),
  );
  await notifyOwner(db, target.id, 'account_suspended', reason);
  return { target_type: 'user' as const, target_id: userId, action: 'suspend' as const, reason };
}

export async function liftSuspension(db: Db, caller: AuthUser, userId: string, reason: string) {
  const { recountLiftedAccount } = await suspensionCounts();
  await retryTransaction(() =>
    db.transaction().execute(async (trx) => {
      await requireModerator(trx, caller);
      const u = await lockUserForModeration(trx, userId);
      if (!u) throw new NotFoundError('User');
      await setSuspension(trx, u.id, null);
      if (u.suspended_at !== null) await recountLiftedAccount(trx, u.id);
      await audit(trx, caller, 'unsuspend', { type: 'user', id: u.id }, reason);
    }),
  );
  return { target_type: 'user' as const, target_id: userId, action: 'unsuspend' as const, reason };
}

export async function dismissOneReport(db: Db, caller: AuthUser, reportId: string, reason: string) {
  return db.transaction().execute(async (trx) => {
    await requireModerator(trx, caller);
    const report = await dismissOpenReport(trx, reportId, caller.id);
    if (!report) throw new NotFoundError('Open report');
    await audit(trx, caller, 'dismiss_report', { type: 'report', id: reportId }, reason);
    return { id: report.id, status: 'dismissed' as const };
  });
}
