import { findReadableComment } from '../comments/service.ts';
import type { DbOrTrx } from '../db/client.ts';
import type { ReportReason, ReportTargetType } from '../db/schema.ts';
import { BadRequestError, NotFoundError, TooManyRequestsError } from '../http/errors.ts';
import { recordEvent } from '../realtime/outbox.ts';
import { findUserView } from '../users/repository.ts';
import { findVisibleVideoStats } from '../videos/repository.ts';
import { reportsEnv } from './config.ts';
import {
  countOpenReportsOn,
  countRecentReports,
  findOpenReport,
  insertOrFindOpenReport,
  listStaffIds,
  lockReporter,
} from './repository.ts';

const selfReport = () =>
  new BadRequestError('You cannot report yourself or your own content', undefined, 'cannot_report_self');

/** The owner of what is reported, if the reporter can see it (else 404, like every other read). */
async function ownerOfTarget(db: DbOrTrx, reporterId: string, type: ReportTargetType, id: string) {
  if (type === 'video') {
    const video = await findVisibleVideoStats(db, id, reporterId);
    if (!video) throw new NotFoundError('Video');
    return video.owner_id;
  }
  if (type === 'comment') {
    const comment = await findReadableComment(db, id, reporterId);
    if (!comment) throw new NotFoundError('Comment');
    return comment.author_id;
  }
  if (id === reporterId) throw selfReport();
  if (!(await findUserView(db, id, reporterId))) throw new NotFoundError('User');
  return id;
}

/**
 * Files a report. Reporting what you can see only, never yourself or your own content; a repeat
 * while the first is open answers that one (and costs nothing against the limit); at most
 * REPORTS_PER_HOUR new reports per account per rolling hour (429 with Retry-After).
 */
export async function fileReport(
  trx: DbOrTrx,
  reporterId: string,
  input: { target_type: ReportTargetType; target_id: string; reason: ReportReason; note?: string },
) {
  const owner = await ownerOfTarget(trx, reporterId, input.target_type, input.target_id);
  if (owner === reporterId) throw selfReport();
  await lockReporter(trx, reporterId);
  const row = { reporter_id: reporterId, ...input, note: input.note ?? '' };
  const open = await findOpenReport(trx, reporterId, input.target_type, input.target_id);
  if (open) return { report: open, created: false };
  const limit = reportsEnv().REPORTS_PER_HOUR;
  if ((await countRecentReports(trx, reporterId)) >= limit) {
    throw new TooManyRequestsError(`At most ${limit} reports an hour; try again later`, 3600);
  }
  const filed = await insertOrFindOpenReport(trx, row);
  if (filed.created) await announceNewQueueEntry(trx, reporterId, filed.report);
  return filed;
}

/**
 * The first open report of a target is a new entry in the moderation queue: every moderator and
 * admin hears of it live, in the report's transaction (the outbox). Two first reports filed at the
 * same moment may both announce it; later ones join the entry quietly.
 */
async function announceNewQueueEntry(
  trx: DbOrTrx,
  reporterId: string,
  report: { id: string; target_type: ReportTargetType; target_id: string; reason: ReportReason },
) {
  if ((await countOpenReportsOn(trx, report.target_type, report.target_id)) > 1) return;
  const data = {
    report_id: report.id,
    target_type: report.target_type,
    target_id: report.target_id,
    reason: report.reason,
  };
  for (const staff of await listStaffIds(trx)) {
    if (staff.id === reporterId) continue;
    await recordEvent(trx, { type: 'moderation.report_opened', recipientId: staff.id, data });
  }
}
