import * as z from 'zod';
import { EX } from '../../shared/http/examples.ts';
import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery } from '../../shared/http/schemas.ts';
import { VIDEO_EXAMPLE, VideoPage, VideoView } from '../../shared/videos/view.ts';

const ChainLink = z
  .object({
    video_id: z.string(),
    /** false once that video was deleted or made private: the link stays, the video is gone. */
    available: z.boolean(),
    video: VideoView.nullable(),
  })
  .meta({
    id: 'GlitchChainLink',
    examples: [{ video_id: EX.videoId, available: true, video: VIDEO_EXAMPLE }],
  });

/** The glitch domain's entries of the route table (merged in functions/routes.ts). */
export const glitchRoutes = {
  listGlitches: route({
    method: 'GET',
    path: '/v1/glitch/videos/{id}/glitches',
    domain: 'glitch',
    auth: 'optional',
    summary: 'Glitches made from a video, newest first',
    description: 'Glitches made from a video, newest first.',
    errors: ['not_found'],
    tags: ['glitch'],
    params: IdParams,
    query: PageQuery,
    response: VideoPage,
  }),
  getGlitchSource: route({
    method: 'GET',
    path: '/v1/glitch/videos/{id}/source',
    domain: 'glitch',
    auth: 'optional',
    summary: 'Where a glitch came from: its parent and the original at the root of the chain',
    description:
      'For a glitch: the video it was made from and the original at the root of its chain (`available: false` once one is deleted or private).',
    errors: ['not_found'],
    tags: ['glitch'],
    params: IdParams,
    response: z
      .object({
        video_id: z.string(),
        kind: z.enum(['animate', 'replace']).nullable(),
        depth: z.number().int(),
        parent: ChainLink.nullable(),
        root: ChainLink.nullable(),
      })
      .meta({
        id: 'GlitchSource',
        examples: [
          {
            video_id: EX.glitchVideoId,
            kind: 'animate',
            depth: 1,
            parent: { video_id: EX.videoId, available: true, video: VIDEO_EXAMPLE },
            root: { video_id: EX.videoId, available: true, video: VIDEO_EXAMPLE },
          },
        ],
      }),
  }),
};
