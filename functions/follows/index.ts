import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { checkFollow } from './check-follow.ts';
import { followUser } from './follow-user.ts';
import { listFollowers } from './list-followers.ts';
import { listFollowing } from './list-following.ts';
import { unfollowUser } from './unfollow-user.ts';

export const handler = createDomainHandler(routes, 'follows', {
  followUser,
  unfollowUser,
  listFollowers,
  listFollowing,
  checkFollow,
});
