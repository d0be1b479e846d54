import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { createUploadUrl } from './create-upload-url.ts';
import { deleteVideo } from './delete-video.ts';
import { getVideo } from './get-video.ts';
import { listVideos } from './list-videos.ts';
import { videosRoutes } from './routes.ts';
import { updateVideo } from './update-video.ts';

export const handler = createDomainHandler(videosRoutes, 'videos', {
  createUploadUrl,
  getVideo,
  listVideos,
  listVideosSeedPath: listVideos,
  updateVideo,
  deleteVideo,
});
