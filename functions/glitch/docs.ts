import type { RouteDocs } from '../../shared/http/route.ts';
import type { glitchRoutes } from './routes.ts';

/** The OpenAPI text of the glitch routes: read by the document generator, never bundled into a Lambda. */
export const glitchDocs = {
  listGlitches: {
    summary: 'Glitches made from a video, newest first',
    description: 'Glitches made from a video, newest first.',
  },
  getGlitchSource: {
    summary: 'Where a glitch came from: its parent and the original at the root of the chain',
    description:
      'For a glitch: the video it was made from and the original at the root of its chain (`available: false` once one is deleted or private).',
  },
  detachGlitch: {
    summary: 'Detach a glitch from your video (source owner only)',
    description:
      "Remix consent after the fact: the owner of a video detaches a glitch made from it. The glitch stays its maker's, but no longer points at your video nor is listed under it (its own glitches now start their chain at it), and your video's glitch count drops. Anyone but the source's owner gets 404.",
  },
} satisfies RouteDocs<typeof glitchRoutes>;
