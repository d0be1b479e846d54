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

/** What starting a glitch can answer besides the automatic codes (both kinds check the same things). */
const GLITCH_ERRORS = [
  'not_found',
  'video_not_ready',
  'insufficient_credits',
  'image_not_uploaded',
  'image_mismatch',
  'image_unusable',
  'image_rejected',
  'screening_unavailable',
  'remix_not_allowed',
  'frame_source_unavailable',
  'reference_gone',
  'ai_rate_limited',
] as const;

/** The ai domain's entries of the route table (merged in functions/routes.ts). */
export const aiRoutes = {
  createCharacterUploadUrl: route({
    method: 'POST',
    path: '/v1/ai/character-images/upload-url',
    domain: 'ai',
    auth: 'required',
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
    errors: [
      'not_found',
      'video_not_ready',
      'unprocessable',
      'media_timeout',
      'remix_not_allowed',
      'ai_rate_limited',
    ],
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
    // A glitch's checks, except the source video's readiness: a template starts from an image.
    errors: GLITCH_ERRORS.filter((code) => code !== 'video_not_ready'),
    body: TemplateBody,
  }),
  createGlitchAnimate: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/glitch/animate',
    errors: GLITCH_ERRORS,
    body: GlitchBody,
  }),
  createGlitchReplace: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/glitch/replace',
    errors: GLITCH_ERRORS,
    body: GlitchBody,
  }),
  createMusic: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/music',
    errors: ['insufficient_credits', 'ai_rate_limited'],
    body: MusicBody,
  }),
  listJobs: route({
    method: 'GET',
    path: '/v1/ai/jobs',
    domain: 'ai',
    auth: 'required',
    tags: ['ai'],
    query: PageQuery,
    response: JobPage,
  }),
  getJob: route({
    method: 'GET',
    path: '/v1/ai/jobs/{id}',
    domain: 'ai',
    auth: 'required',
    errors: ['not_found'],
    tags: ['ai'],
    params: IdParams,
    response: Job,
  }),
  cancelJob: route({
    method: 'POST',
    path: '/v1/ai/jobs/{id}/cancel',
    domain: 'ai',
    auth: 'required',
    errors: ['not_found', 'job_finished'],
    tags: ['ai'],
    params: IdParams,
    response: Job,
  }),
};
