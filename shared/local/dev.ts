import { resolve } from 'node:path';
import { startLocalStack } from './runtime.ts';

/** `npm run dev`: the whole system locally, with nothing but `npm ci` done first. */
const log = (line: string) => console.log(`[lokiz] ${line}`);

const port = process.env.PORT ? Number.parseInt(process.env.PORT, 10) : 3000;
const stack = await startLocalStack({ stateDir: resolve(process.cwd(), '.lokiz'), port, log });

log(`API          ${stack.apiUrl}`);
log(`API docs     ${stack.apiUrl}/docs`);
log(`OpenAPI      ${stack.apiUrl}/openapi.json`);
log(`health       ${stack.apiUrl}/health`);
log(`live updates ${stack.liveUrl}?token=<access token>  (push: offline SNS stand-in)`);
log(`S3 (local)   ${stack.s3Endpoint ?? 'configured by env'}`);
log(`database     ${stack.databaseUrl.replace(/:[^:@/]+@/, ':****@')}`);
log('press Ctrl-C to stop');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
