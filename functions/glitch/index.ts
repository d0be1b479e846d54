import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { routes } from '../routes.ts';
import { getGlitchSource } from './get-glitch-source.ts';
import { listGlitches } from './list-glitches.ts';

export const handler = createDomainHandler(routes, 'glitch', { listGlitches, getGlitchSource });
