import * as z from 'zod/mini';
import { EX } from '../../shared/http/examples.ts';
import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery, Uuid } from '../../shared/http/schemas.ts';
import { VIDEO_EXAMPLE, VideoPage, VideoView } from '../../shared/videos/view.ts';

const ChainLink = z
  .object({
    video_id: z.string(),
    /** false once that video was deleted or made private: the link stays, the video is gone. */
    available: z.boolean(),
    video: z.nullable(VideoView),
  })
  .register(z.globalRegistry, {
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
    errors: ['not_found'],
    tags: ['glitch'],
    params: IdParams,
    response: z
      .object({
        video_id: z.string(),
        kind: z.nullable(z.enum(['animate', 'replace'])),
        depth: z.number().check(z.int()),
        parent: z.nullable(ChainLink),
        root: z.nullable(ChainLink),
      })
      .register(z.globalRegistry, {
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
  detachGlitch: route({
    method: 'DELETE',
    path: '/v1/glitch/videos/{id}/glitches/{glitch_id}',
    domain: 'glitch',
    auth: 'required',
    errors: ['not_found'],
    tags: ['glitch'],
    params: z.object({ id: Uuid, glitch_id: Uuid }),
  }),
};
