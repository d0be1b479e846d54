import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { checkFollow } from './check-follow.ts';
import { followUser } from './follow-user.ts';
import { listFollowers } from './list-followers.ts';
import { listFollowing } from './list-following.ts';
import { followsRoutes } from './routes.ts';
import { unfollowUser } from './unfollow-user.ts';

export const handler = createDomainHandler(followsRoutes, 'follows', {
  followUser,
  unfollowUser,
  listFollowers,
  listFollowing,
  checkFollow,
});
