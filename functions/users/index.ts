import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { getUser } from './get-user.ts';
import { getUserByUsername } from './get-user-by-username.ts';
import { listUserVideos } from './list-user-videos.ts';
import { usersRoutes } from './routes.ts';

export const handler = createDomainHandler(usersRoutes, 'users', {
  getUser,
  getUserByUsername,
  listUserVideos,
});
