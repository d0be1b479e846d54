import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { checkLike } from './check-like.ts';
import { likeVideo } from './like-video.ts';
import { likesRoutes } from './routes.ts';
import { unlikeVideo } from './unlike-video.ts';

export const handler = createDomainHandler(likesRoutes, 'likes', { likeVideo, unlikeVideo, checkLike });
