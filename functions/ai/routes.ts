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
    summary: 'Presigned upload of a character image (JPEG, PNG or WebP, ≤ 10 MB) for glitches',
    description:
      'Step 1 of a character image for glitches: a presigned PUT URL (15 minutes) for a JPEG, PNG or WebP of at most 10 MB. PUT the file, then use `asset_id` as `character_image_id`.',
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
    description:
      "Saves the frame at `at_ms` of a ready video you can see as a JPEG (free): use its `asset_id` as a template's `image_asset_id`. Someone else's video must allow frame capture (`allow_frame_capture`; 403 `remix_not_allowed` otherwise), also when the frame is used later.",
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
    summary: 'Image-to-video from a captured frame or uploaded image and a style prompt (20 credits)',
    description:
      "Starts an image-to-video job from one of your images and a style prompt (20 credits, spent now and refunded if the job fails). Poll `GET /v1/ai/jobs/{id}`; the result is a new video. Before any credit is spent, the image is screened (422 `image_rejected`), and a frame captured from someone else's video needs that video's `allow_frame_capture` (403 `remix_not_allowed`).",
    // A glitch's checks, except the source video's readiness: a template starts from an image.
    errors: GLITCH_ERRORS.filter((code) => code !== 'video_not_ready'),
    body: TemplateBody,
  }),
  createGlitchAnimate: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/glitch/animate',
    summary: "Glitch: your character performs a video's motion (30 credits)",
    description:
      "Starts a glitch: your character performs the motion of a ≤10 s range of a video (30 credits, spent now and refunded if the job fails). Cut the range first with `POST /v1/studio/videos/{id}/select-range`; poll `GET /v1/ai/jobs/{id}`. Before any credit is spent: someone else's video must allow glitches (403 `remix_not_allowed`), and the character image is screened (422 `image_rejected` for explicit or violent content).",
    errors: GLITCH_ERRORS,
    body: GlitchBody,
  }),
  createGlitchReplace: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/glitch/replace',
    summary: "Glitch: your character replaces a video's subject (30 credits)",
    description:
      "Starts a glitch: your character replaces the subject of a ≤10 s range of a video (30 credits, spent now and refunded if the job fails). Cut the range first with `POST /v1/studio/videos/{id}/select-range`; poll `GET /v1/ai/jobs/{id}`. Before any credit is spent: someone else's video must allow glitches (403 `remix_not_allowed`), and the character image is screened (422 `image_rejected` for explicit or violent content).",
    errors: GLITCH_ERRORS,
    body: GlitchBody,
  }),
  createMusic: route({
    ...jobRoute,
    method: 'POST',
    path: '/v1/ai/music',
    summary: 'Music from a prompt (5 credits)',
    description:
      'Starts a music job from a prompt and optional lyrics (5 credits, spent now and refunded if the job fails). Poll `GET /v1/ai/jobs/{id}`; `audio_url` is set once it succeeded.',
    errors: ['insufficient_credits', 'ai_rate_limited'],
    body: MusicBody,
  }),
  listJobs: route({
    method: 'GET',
    path: '/v1/ai/jobs',
    domain: 'ai',
    auth: 'required',
    summary: 'My AI jobs, newest first',
    description: 'Your AI jobs (any kind, any status), newest first.',
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
    description: 'One of your AI jobs. `result_video_status` becomes `ready` once the new video is playable.',
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
    summary: 'Cancel a job that has not finished; its credits are refunded',
    description: 'Cancels a job that has not finished yet and refunds its credits.',
    errors: ['not_found', 'job_finished'],
    tags: ['ai'],
    params: IdParams,
    response: Job,
  }),
};
