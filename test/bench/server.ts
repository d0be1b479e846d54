import { routes } from '../../functions/routes.ts';
import { closeDb } from '../../shared/db/client.ts';
import { startGateway } from '../../shared/local/gateway.ts';
import type { FromChild, ToChild } from './protocol.ts';
import { installQueryTap, startRecording, stopRecording } from './query-tap.ts';

/**
 * The API under test, in its own process (so the load generator does not share its event
 * loop): the local gateway of `npm run dev` over the same route table and domain handlers,
 * configured through the environment by run.ts. The query tap lets the orchestrator record
 * the SQL of single requests over IPC.
 */
installQueryTap();
const send = (m: FromChild) => process.send!(m);
const gateway = await startGateway({ routes, port: 0 });

process.on('message', async (m: ToChild) => {
  if (m.type === 'capture') {
    // Acknowledged, so the request the orchestrator sends next is surely recorded.
    if (m.on) startRecording();
    else stopRecording();
    send({ type: 'captured', statements: [] });
  } else if (m.type === 'captured') {
    send({ type: 'captured', statements: stopRecording() });
  } else if (m.type === 'stop') {
    await gateway.close();
    await closeDb();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', url: gateway.url });
