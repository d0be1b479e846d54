import type { DbOrTrx } from '../db/client.ts';
import { NotFoundError } from '../http/errors.ts';
import { lockAccountStandings } from '../users/standing.ts';
import { findOwnVideoForUpdate, findVideoOwner } from '../videos/repository.ts';
import { unlinkGlitch } from './repository.ts';

/**
 * Remix consent after the fact: the owner of a source video detaches a glitch made from it, which
 * then no longer points at the source nor is listed under it. Only the source's owner may (anyone
 * else: 404, as for a missing video).
 */
export async function detachGlitchFromSource(
  trx: DbOrTrx,
  ownerId: string,
  sourceVideoId: string,
  glitchVideoId: string,
): Promise<void> {
  // The glitch's maker first (accounts before videos): a suspended maker's glitch is on no count.
  const maker = await findVideoOwner(trx, glitchVideoId);
  const counted = maker ? (await lockAccountStandings(trx, [maker])).allCounted : false;
  const source = await findOwnVideoForUpdate(trx, sourceVideoId, ownerId);
  if (!source) throw new NotFoundError('Video');
  if (!(await unlinkGlitch(trx, source.id, glitchVideoId, counted))) throw new NotFoundError('Glitch');
}
