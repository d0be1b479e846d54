import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { checkLike } from './check-like.ts';
import { likeVideo } from './like-video.ts';
import { unlikeVideo } from './unlike-video.ts';

export const handler = createDomainHandler(routes, 'likes', { likeVideo, unlikeVideo, checkLike });
