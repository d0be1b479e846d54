import { DOMAINS } from '../shared/http/route.ts';
import { type FunctionName, LIVE_FUNCTION } from './function-sizing.ts';

/**
 * A domain's entry is `functions/<domain>/index.ts`, the WebSocket API's `functions/realtime/index.ts`,
 * a worker's `functions/workers/<name>.ts`.
 */
export function entryOf(name: FunctionName): string {
  if (name === LIVE_FUNCTION) return 'functions/realtime/index.ts';
  return (DOMAINS as readonly string[]).includes(name)
    ? `functions/${name}/index.ts`
    : `functions/workers/${name}.ts`;
}
