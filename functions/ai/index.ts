import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { cancelJob } from './cancel-job.ts';
import { captureFrame } from './capture-frame.ts';
import { createCharacterUploadUrl } from './create-character-upload-url.ts';
import { createGlitchAnimate, createGlitchReplace } from './create-glitch.ts';
import { createMusic } from './create-music.ts';
import { createTemplate } from './create-template.ts';
import { getJob, listJobs } from './jobs.ts';
import { aiRoutes } from './routes.ts';

export const handler = createDomainHandler(aiRoutes, 'ai', {
  createCharacterUploadUrl,
  captureFrame,
  createTemplate,
  createGlitchAnimate,
  createGlitchReplace,
  createMusic,
  listJobs,
  getJob,
  cancelJob,
});
