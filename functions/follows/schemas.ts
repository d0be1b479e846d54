import * as z from 'zod/mini';
import { EX } from '../../shared/http/examples.ts';

export const FollowState = z
  .object({
    user_id: z.string(),
    following: z.boolean(),
    /** The followed person's follower count after the change. */
    follower_count: z.number().check(z.int()),
  })
  .register(z.globalRegistry, {
    id: 'FollowState',
    examples: [{ user_id: EX.userId, following: true, follower_count: 129 }],
  });

export const FollowCheck = z
  .object({
    user_id: z.string(),
    /** Whether the caller follows this person; null when logged out. */
    following: z.nullable(z.boolean()),
    /** Whether this person follows the caller; null when logged out. */
    follows_me: z.nullable(z.boolean()),
  })
  .register(z.globalRegistry, {
    id: 'FollowCheck',
    examples: [{ user_id: EX.userId, following: true, follows_me: false }],
  });
