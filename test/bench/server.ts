import cluster, { type Worker } from 'node:cluster';
import { routes } from '../../functions/routes.ts';
import { closeDb } from '../../shared/db/client.ts';
import { startGateway } from '../../shared/local/gateway.ts';
import type { FromChild, Statement, ToChild } from './protocol.ts';
import { installQueryTap, startRecording, stopRecording } from './query-tap.ts';

/**
 * The API under test, in its own process(es), so the load generator does not share its event
 * loop: the local gateway of `npm run dev` over the same route table and domain handlers,
 * configured through the environment by run.ts. With `workers` > 1 (argv[2]) this process is a
 * node:cluster primary and that many gateway processes share one port, as uvicorn --workers
 * does for the seed stack. The query tap lets the orchestrator record the SQL of single requests
 * over IPC (the primary relays to every worker and merges what they recorded).
 */
const workers = Number(process.argv[2] ?? 1);
const send = (m: FromChild) => process.send!(m);

if (cluster.isPrimary && workers > 1) {
  const pool: Worker[] = [];
  let url: string | undefined;
  for (let i = 0; i < workers; i++) {
    const w = cluster.fork();
    pool.push(w);
    url = await new Promise<string>((resolve, reject) => {
      w.once('message', (m: FromChild) => (m.type === 'ready' ? resolve(m.url!) : reject(new Error(m.type))));
      w.once('exit', (code) => reject(new Error(`gateway worker exited (${code})`)));
    });
  }
  const ask = (w: Worker, m: ToChild) =>
    new Promise<Statement[]>((resolve) => {
      w.once('message', (r: FromChild) => resolve(r.type === 'captured' ? r.statements : []));
      // (a 'released' answer resolves with no statements)
      w.send(m);
    });
  process.on('message', async (m: ToChild) => {
    if (m.type === 'capture' || m.type === 'captured') {
      const all = await Promise.all(pool.map((w) => ask(w, m)));
      send({ type: 'captured', statements: all.flat() });
    } else if (m.type === 'release') {
      await Promise.all(pool.map((w) => ask(w, m)));
      send({ type: 'released' });
    } else if (m.type === 'stop') {
      await Promise.all(
        pool.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.send(m);
            }),
        ),
      );
      process.exit(0);
    }
  });
  process.on('disconnect', () => {
    for (const w of pool) w.kill();
    process.exit(0);
  });
  send({ type: 'ready', url });
} else {
  installQueryTap();
  const gateway = await startGateway({ routes, port: 0 });
  /**
   * Closes the pool only once the requests still being handled after the load generator stopped
   * are done: closing it under them made them 500 ("driver has already been destroyed").
   */
  const releaseDb = async () => {
    const deadline = Date.now() + 60_000;
    while (gateway.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await closeDb();
  };
  process.on('message', async (m: ToChild) => {
    if (m.type === 'capture') {
      // Acknowledged, so the request the orchestrator sends next is surely recorded.
      if (m.on) startRecording();
      else stopRecording();
      send({ type: 'captured', statements: [] });
    } else if (m.type === 'captured') {
      send({ type: 'captured', statements: stopRecording() });
    } else if (m.type === 'release') {
      await releaseDb();
      send({ type: 'released' });
    } else if (m.type === 'stop') {
      await gateway.close();
      await closeDb();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url: gateway.url });
}
