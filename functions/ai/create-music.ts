import { createJob } from '../../shared/ai/create-job.ts';
import { findOwnJobView } from '../../shared/ai/repository.ts';
import { toJobView } from '../../shared/ai/view.ts';
import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import type { Routes } from '../routes.ts';

export const createMusic: RouteHandler<Routes['createMusic']> = async ({ body, user }) => {
  const db = getDb();
  const job = await createJob(db, {
    userId: user.id,
    kind: 'music',
    input: { prompt: body.prompt, ...(body.lyrics ? { lyrics: body.lyrics } : {}) },
  });
  return toJobView((await findOwnJobView(db, job.id, user.id))!);
};
