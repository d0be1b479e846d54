import * as z from 'zod';
import { EX } from '../../shared/http/examples.ts';

export const LikeState = z
  .object({
    video_id: z.string(),
    /** null when the caller is logged out. */
    liked: z.boolean().nullable(),
    like_count: z.number().int(),
  })
  .meta({ id: 'LikeState', examples: [{ video_id: EX.videoId, liked: true, like_count: 43 }] });
