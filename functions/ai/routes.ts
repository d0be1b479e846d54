import { Job, JobPage } from '../../shared/ai/view.ts';
import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery } from '../../shared/http/schemas.ts';
import {
  CapturedFrame,
  CaptureFrameBody,
  CharacterUploadBody,
  CharacterUploadResponse,
  GlitchBody,
  MusicBody,
  TemplateBody,
} from './schemas.ts';

const jobRoute = {
  domain: 'ai',
  auth: 'required',
  tags: ['ai'],
  response: Job,
  status: 202,
  throttle: 'ai',
  // Unverified accounts get 403 email_unverified before anything runs.
  spendsCredits: true,
} as const;

/** The ai domain's entries of the route table (merged in functions/routes.ts). */
export const aiRoutes = {
  createCharacterUploadUrl: route({
    method: 'POST',
    path: '/v1/ai/character-images/upload-url',
    domain: 'ai',
    auth: 'required',
    summary: 'Presigned upload of a character image (JPEG, PNG or WebP, ≤ 10 MB) for glitches',
    tags: ['ai'],
    body: CharacterUploadBody,
    response: CharacterUploadResponse,
    status: 201,
  }),
  captureFrame: route({
    method: 'POST',
    path: '/v1/ai/capture-frame',
    domain: 'ai',
    auth: 'required',
    summary: 'A frame of a video at time t as a JPEG (0 credits, synchronous)',
    tags: ['ai'],
    body: CaptureFrameBody,
    response: CapturedFrame,
    status: 201,
    throttle: 'ai',
  }),
  createTemplate: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/template',
    summary: 'Image-to-video from a captured frame or uploaded image and a style prompt (20 credits)',
    body: TemplateBody,
  }),
  createGlitchAnimate: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/glitch/animate',
    summary: "Glitch: your character performs a video's motion (30 credits)",
    body: GlitchBody,
  }),
  createGlitchReplace: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/glitch/replace',
    summary: "Glitch: your character replaces a video's subject (30 credits)",
    body: GlitchBody,
  }),
  createMusic: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/music',
    summary: 'Music from a prompt (5 credits)',
    body: MusicBody,
  }),
  listJobs: route({
    method: 'GET',
    path: '/v1/ai/jobs',
    domain: 'ai',
    auth: 'required',
    summary: 'My AI jobs, newest first',
    tags: ['ai'],
    query: PageQuery,
    response: JobPage,
  }),
  getJob: route({
    method: 'GET',
    path: '/v1/ai/jobs/{id}',
    domain: 'ai',
    auth: 'required',
    summary: 'One of my AI jobs: status, result, error',
    tags: ['ai'],
    params: IdParams,
    response: Job,
  }),
  cancelJob: route({
    method: 'POST',
    path: '/v1/ai/jobs/{id}/cancel',
    domain: 'ai',
    auth: 'required',
    summary: 'Cancel a job that has not finished; its credits are refunded',
    tags: ['ai'],
    params: IdParams,
    response: Job,
  }),
};
