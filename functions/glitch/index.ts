import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { getGlitchSource } from './get-glitch-source.ts';
import { listGlitches } from './list-glitches.ts';
import { glitchRoutes } from './routes.ts';

export const handler = createDomainHandler(glitchRoutes, 'glitch', { listGlitches, getGlitchSource });
