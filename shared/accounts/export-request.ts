import type { Db } from '../db/client.ts';
import { ConflictError, NotFoundError, TooManyRequestsError } from '../http/errors.ts';
import { logger } from '../logging/logger.ts';
import { mediaUrl } from '../storage/media-url.ts';
import { hashDownloadToken } from './export-build.ts';
import { EXPORT_MIN_INTERVAL_HOURS } from './export-config.ts';
import { toExportView } from './export-view.ts';
import { enqueueExport } from './queues.ts';
import { findExportByDownloadToken, findLatestExport, insertExport } from './repository.ts';

/** The download link's redirect target lives this long (the link itself lasts 7 days). */
const REDIRECT_URL_TTL_SECONDS = 300;

/**
 * POST /v1/account/exports: one at a time, one per 24 hours (each copies all of a person's
 * media). The row is the job; the queue message only points at it.
 */
export async function requestExport(db: Db, userId: string) {
  const row = await db.transaction().execute(async (trx) => {
    // Serialises two requests of one person (the lock is on their account row).
    await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
    const latest = await findLatestExport(trx, userId);
    if (latest && (latest.status === 'queued' || latest.status === 'building')) {
      throw new ConflictError(
        'An export is already being prepared',
        { export_id: latest.id },
        'export_in_progress',
      );
    }
    const nextAt = latest ? latest.created_at.getTime() + EXPORT_MIN_INTERVAL_HOURS * 3_600_000 : 0;
    if (latest?.status !== 'failed' && nextAt > Date.now()) {
      throw new TooManyRequestsError(
        `One export per ${EXPORT_MIN_INTERVAL_HOURS} hours; the last one is still available`,
        Math.ceil((nextAt - Date.now()) / 1000),
      );
    }
    return insertExport(trx, userId);
  });
  try {
    await enqueueExport(row.id);
  } catch (err) {
    logger.error('could not enqueue export', { export_id: row.id, error: err as Error });
  }
  return toExportView(row);
}

/** The mailed link: valid 7 days, redirects to a short-lived URL of the zip. */
export async function exportDownloadUrl(db: Db, exportId: string, token: string): Promise<string> {
  const row = await findExportByDownloadToken(db, exportId, hashDownloadToken(token));
  if (!row?.object_key || !row.expires_at || row.expires_at.getTime() <= Date.now()) {
    throw new NotFoundError('Export');
  }
  return mediaUrl(row.object_key, REDIRECT_URL_TTL_SECONDS);
}
