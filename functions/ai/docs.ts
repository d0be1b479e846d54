import type { RouteDocs } from '../../shared/http/route.ts';
import type { aiRoutes } from './routes.ts';

/** The OpenAPI text of the ai routes: read by the document generator, never bundled into a Lambda. */
export const aiDocs = {
  createCharacterUploadUrl: {
    summary: 'Presigned upload of a character image (JPEG, PNG or WebP, ≤ 10 MB) for glitches',
    description:
      'Step 1 of a character image for glitches: a presigned PUT URL (15 minutes) for a JPEG, PNG or WebP of at most 10 MB. PUT the file, then use `asset_id` as `character_image_id`.',
  },
  captureFrame: {
    summary: 'A frame of a video at time t as a JPEG (0 credits, synchronous)',
    description:
      "Saves the frame at `at_ms` of a ready video you can see as a JPEG (free): use its `asset_id` as a template's `image_asset_id`. Someone else's video must allow frame capture (`allow_frame_capture`; 403 `remix_not_allowed` otherwise), also when the frame is used later.",
  },
  createTemplate: {
    summary: 'Image-to-video from a captured frame or uploaded image and a style prompt (20 credits)',
    description:
      "Starts an image-to-video job from one of your images and a style prompt (20 credits, spent now and refunded if the job fails). Poll `GET /v1/ai/jobs/{id}`; the result is a new video. Before any credit is spent, the image is screened (422 `image_rejected`), and a frame captured from someone else's video needs that video's `allow_frame_capture` (403 `remix_not_allowed`).",
  },
  createGlitchAnimate: {
    summary: "Glitch: your character performs a video's motion (30 credits)",
    description:
      "Starts a glitch: your character performs the motion of a ≤10 s range of a video (30 credits, spent now and refunded if the job fails). Cut the range first with `POST /v1/studio/videos/{id}/select-range`; poll `GET /v1/ai/jobs/{id}`. Before any credit is spent: someone else's video must allow glitches (403 `remix_not_allowed`), and the character image is screened (422 `image_rejected` for explicit or violent content).",
  },
  createGlitchReplace: {
    summary: "Glitch: your character replaces a video's subject (30 credits)",
    description:
      "Starts a glitch: your character replaces the subject of a ≤10 s range of a video (30 credits, spent now and refunded if the job fails). Cut the range first with `POST /v1/studio/videos/{id}/select-range`; poll `GET /v1/ai/jobs/{id}`. Before any credit is spent: someone else's video must allow glitches (403 `remix_not_allowed`), and the character image is screened (422 `image_rejected` for explicit or violent content).",
  },
  createMusic: {
    summary: 'Music from a prompt (5 credits)',
    description:
      'Starts a music job from a prompt and optional lyrics (5 credits, spent now and refunded if the job fails). Poll `GET /v1/ai/jobs/{id}`; `audio_url` is set once it succeeded.',
  },
  listJobs: {
    summary: 'My AI jobs, newest first',
    description: 'Your AI jobs (any kind, any status), newest first.',
  },
  getJob: {
    summary: 'One of my AI jobs: status, result, error',
    description: 'One of your AI jobs. `result_video_status` becomes `ready` once the new video is playable.',
  },
  cancelJob: {
    summary: 'Cancel a job that has not finished; its credits are refunded',
    description: 'Cancels a job that has not finished yet and refunds its credits.',
  },
} satisfies RouteDocs<typeof aiRoutes>;
