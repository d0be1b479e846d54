import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { getUser } from './get-user.ts';
import { getUserByUsername } from './get-user-by-username.ts';
import { listUserVideos } from './list-user-videos.ts';

export const handler = createDomainHandler(routes, 'users', { getUser, getUserByUsername, listUserVideos });
