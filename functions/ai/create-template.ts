import { createJob } from '../../shared/ai/create-job.ts';
import { findOwnJobView } from '../../shared/ai/repository.ts';
import { toJobView } from '../../shared/ai/view.ts';
import { requireUsableImage } from '../../shared/assets/usable-image.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const createTemplate: RouteHandler<Routes['createTemplate']> = async ({ body, user }) => {
  const db = getDb();
  const image = await requireUsableImage(db, body.image_asset_id, user.id);
  const job = await createJob(db, {
    userId: user.id,
    kind: 'template',
    input: {
      prompt: body.prompt,
      aspect_ratio: body.aspect_ratio ?? '9:16',
      image_key: image.object_key,
      caption: body.caption ?? body.prompt.slice(0, 200),
    },
  });
  return toJobView((await findOwnJobView(db, job.id, user.id))!);
};
