import type { DbOrTrx } from '../db/client.ts';
import { deleteObjects } from '../storage/s3.ts';
import { deleteAssets } from './repository.ts';

/** Deletes assets, objects first and then rows: a failure in between only repeats a removal. */
export async function removeAssets(db: DbOrTrx, assets: readonly { id: string; object_key: string }[]) {
  if (!assets.length) return;
  await deleteObjects(assets.map((a) => a.object_key));
  await deleteAssets(
    db,
    assets.map((a) => a.id),
  );
}
