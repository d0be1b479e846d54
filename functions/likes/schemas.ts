import * as z from 'zod';

export const LikeState = z
  .object({
    video_id: z.string(),
    /** null when the caller is logged out. */
    liked: z.boolean().nullable(),
    like_count: z.number().int(),
  })
  .meta({ id: 'LikeState' });
