import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { createUploadUrl } from './create-upload-url.ts';
import { deleteVideo } from './delete-video.ts';
import { getVideo } from './get-video.ts';
import { listVideos } from './list-videos.ts';
import { updateVideo } from './update-video.ts';

export const handler = createDomainHandler(routes, 'videos', {
  createUploadUrl,
  getVideo,
  listVideos,
  updateVideo,
  deleteVideo,
});
