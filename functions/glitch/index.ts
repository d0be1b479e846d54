import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { detachGlitch } from './detach-glitch.ts';
import { getGlitchSource } from './get-glitch-source.ts';
import { listGlitches } from './list-glitches.ts';
import { glitchRoutes } from './routes.ts';

export const handler = createDomainHandler(glitchRoutes, 'glitch', {
  listGlitches,
  getGlitchSource,
  detachGlitch,
});
