import * as z from 'zod/mini';
import { EX } from '../../shared/http/examples.ts';

export const LikeState = z
  .object({
    video_id: z.string(),
    /** null when the caller is logged out. */
    liked: z.nullable(z.boolean()),
    like_count: z.number().check(z.int()),
  })
  .register(z.globalRegistry, {
    id: 'LikeState',
    examples: [{ video_id: EX.videoId, liked: true, like_count: 43 }],
  });
