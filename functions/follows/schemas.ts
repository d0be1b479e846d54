import * as z from 'zod';
import { EX } from '../../shared/http/examples.ts';

export const FollowState = z
  .object({
    user_id: z.string(),
    following: z.boolean(),
    /** The followed person's follower count after the change. */
    follower_count: z.number().int(),
  })
  .meta({ id: 'FollowState', examples: [{ user_id: EX.userId, following: true, follower_count: 129 }] });

export const FollowCheck = z
  .object({
    user_id: z.string(),
    /** Whether the caller follows this person; null when logged out. */
    following: z.boolean().nullable(),
    /** Whether this person follows the caller; null when logged out. */
    follows_me: z.boolean().nullable(),
  })
  .meta({ id: 'FollowCheck', examples: [{ user_id: EX.userId, following: true, follows_me: false }] });
