import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import { apiLink } from '../mail/config.ts';
import { trySendMail } from '../mail/send.ts';
import { createNotification } from '../notifications/repository.ts';
import { exportKey, VIDEO_TYPES } from '../storage/keys.ts';
import { deleteObjects, headObject, uploadFile } from '../storage/s3.ts';
import { ZipFileWriter } from './export-archive.ts';
import { EXPORT_LINK_DAYS, exportEnv } from './export-config.ts';
import {
  collectAccountData,
  findExport,
  markExportBuilding,
  markExportFailed,
  markExportReady,
} from './repository.ts';

export function hashDownloadToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const README = `LOKIZ data export
profile.json        your account
videos.json         your videos, with captions and stats
comments.json       your comments
likes.json          the videos you liked
follows.json        who you follow and who follows you
notifications.json  your notifications
credit_ledger.json  every credit movement of your account
ai_jobs.json        your AI jobs
media.json          your media files: where each is in this zip (or why it is not)
media/              copies of your videos, images and music
`;

/** Test seam: runs between the zip's upload and its record (an account deleted meanwhile). */
export const exportHooks: { afterUpload?: () => Promise<void> } = {};

type MediaEntry = { kind: string; id: string; path: string | null; size_bytes: number; note?: string };

/**
 * Builds one export: the person's data as JSON plus copies of their media, zipped into
 * `exports/<user>/<id>.zip`; then, once, marks it ready with a 7-day download link, notifies
 * them and mails the link (to a verified address). Safe to run again: a finished export is left
 * alone, and of two concurrent runs only the first to finish is recorded and announced.
 */
export async function buildExport(db: Db, exportId: string): Promise<'ready' | 'ignored'> {
  const job = await findExport(db, exportId);
  if (!job || job.status === 'ready' || job.user_deleted_at) return 'ignored';
  await markExportBuilding(db, exportId);
  const dir = await mkdtemp(join(tmpdir(), 'lokiz-export-'));
  try {
    const data = await collectAccountData(db, job.user_id);
    const zipPath = join(dir, 'export.zip');
    const zip = new ZipFileWriter(zipPath);
    await zip.addText('README.txt', README);
    await zip.addJson('profile.json', data.profile);
    await zip.addJson(
      'videos.json',
      data.videos.map(({ source_key: _k, original_key: _o, content_type: _t, ...v }) => v),
    );
    await zip.addJson('comments.json', data.comments);
    await zip.addJson('likes.json', data.likes);
    await zip.addJson('follows.json', { following: data.following, followers: data.followers });
    await zip.addJson('notifications.json', data.notifications);
    await zip.addJson('credit_ledger.json', data.ledger);
    await zip.addJson('ai_jobs.json', data.jobs);

    let budget = exportEnv().EXPORT_MEDIA_MAX_BYTES;
    const media: MediaEntry[] = [];
    const copy = async (kind: string, id: string, key: string, size: number, path: string) => {
      if (size > budget) {
        media.push({
          kind,
          id,
          path: null,
          size_bytes: size,
          note: 'over the export size limit: download it in the app',
        });
        return;
      }
      budget -= size;
      await zip.addObject(path, key);
      media.push({ kind, id, path, size_bytes: size });
    };
    for (const v of data.videos) {
      if (v.status !== 'ready') continue;
      const ext = VIDEO_TYPES[v.content_type as keyof typeof VIDEO_TYPES] ?? 'mp4';
      // The validated upload, byte for byte (process-upload keeps it under originals/ and empties the
      // inbox); videos from before media revisions still have it at their upload key.
      const key = v.original_key ?? v.source_key;
      await copy('video', v.id, key, Number(v.size_bytes ?? 0), `media/videos/${v.id}.${ext}`);
    }
    for (const a of data.assets) {
      // Character images are checked on first use, so an unused one may never have arrived.
      const size = a.status === 'ready' ? Number(a.size_bytes ?? 0) : (await headObject(a.object_key))?.size;
      if (size === undefined) continue;
      const ext = a.object_key.split('.').pop() ?? 'bin';
      await copy(a.kind, a.id, a.object_key, size, `media/${a.kind}s/${a.id}.${ext}`);
    }
    await zip.addJson('media.json', media);
    await zip.close();

    const key = exportKey(job.user_id, exportId);
    const { size } = await stat(zipPath);
    await uploadFile(key, zipPath, 'application/zip');
    await exportHooks.afterUpload?.();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + EXPORT_LINK_DAYS * 86_400_000);
    const announced = await db.transaction().execute(async (trx) => {
      const ready = await markExportReady(trx, exportId, {
        object_key: key,
        size_bytes: size,
        download_token_hash: hashDownloadToken(token),
        expires_at: expiresAt,
      });
      if (ready)
        await createNotification(trx, {
          recipientId: job.user_id,
          actorId: null,
          type: 'export_ready',
          exportId,
        });
      return Boolean(ready);
    });
    if (!announced) {
      // Not recorded. If the account was deleted while this ran, its purge may have passed the
      // exports already: the zip just written would outlive the account, so it goes now. (An
      // export another run recorded first points at this same key, and stays.)
      const now = await findExport(db, exportId);
      if (!now || now.user_deleted_at) await deleteObjects([key]);
      return 'ignored';
    }
    if (job.email_verified_at) {
      const link = apiLink(`/v1/account/exports/${exportId}/download`, { token });
      await trySendMail({
        to: job.email,
        template: { kind: 'export_ready', link, expiresAt },
        locale: job.locale,
      });
    }
    logger.info('export ready', { export_id: exportId, size_bytes: size, media: media.length });
    return 'ready';
  } catch (err) {
    logger.error('export failed', { export_id: exportId, error: err as Error });
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** After the queue gave up (DLQ): the person sees `failed` and may ask again. */
export async function failExport(db: Db, exportId: string, reason: string): Promise<void> {
  await markExportFailed(db, exportId, reason);
}
