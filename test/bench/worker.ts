import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context, S3Event } from 'aws-lambda';
import { sql } from 'kysely';
import pg from 'pg';
import { getDb } from '../../shared/db/client.ts';
import type { ApiHandler } from '../../shared/local/gateway.ts';
import { copyObject, encodeS3EventKey } from '../../shared/storage/s3.ts';
import { benchStashKey } from './media.ts';
import type { EndpointPlan, FromChild, LoadOptions, LoadResult, RequestSpec, ToChild } from './protocol.ts';
import { LatencyRecorder } from './stats.ts';

/**
 * The two baselines, each in its own process like the API server:
 * - `inproc`: the domain Lambda handler called directly with the API Gateway v2 event the
 *   local gateway would build (no HTTP, no socket), at the same concurrency;
 * - `floor`: only the SQL those requests issued (captured by the server's query tap),
 *   replayed through a pg Pool of the same size: what no handler can beat.
 * Also runs the process-upload worker on S3 events for the media benchmark (`inproc`).
 */
const mode = process.argv[2];
if (mode !== 'inproc' && mode !== 'floor') throw new Error('usage: worker.ts inproc|floor');
const send = (m: FromChild) => process.send!(m);

const handlers = new Map<string, Promise<ApiHandler>>();
function handlerFor(domain: string): Promise<ApiHandler> {
  let h = handlers.get(domain);
  if (!h) {
    h = import(`../../functions/${domain}/index.ts`).then((m: { handler: ApiHandler }) => m.handler);
    handlers.set(domain, h);
  }
  return h;
}

/** What shared/local/gateway.ts builds for the same request. */
function eventFor(spec: RequestSpec): APIGatewayProxyEventV2 {
  const url = new URL(spec.url, 'http://127.0.0.1');
  const rawQueryString = url.search.startsWith('?') ? url.search.slice(1) : '';
  const headers: Record<string, string> = {
    host: '127.0.0.1',
    'user-agent': 'lokiz-bench',
    ...(spec.token ? { authorization: `Bearer ${spec.token}` } : {}),
  };
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const requestId = randomBytes(12).toString('base64url');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: spec.routeKey,
    rawPath: url.pathname,
    rawQueryString,
    headers,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    ...(spec.pathParameters ? { pathParameters: spec.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: spec.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'lokiz-bench',
      },
      requestId,
      routeKey: spec.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

function lambdaContext(domain: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `lokiz-${domain}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:lokiz-${domain}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomBytes(12).toString('base64url'),
    logGroupName: `/aws/lambda/lokiz-${domain}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

type Step = (worker: number, iteration: number) => Promise<number>;

/** Which request of the plan worker `w` sends on its `i`-th iteration. */
function picker(plan: EndpointPlan): (w: number, i: number) => number {
  if (plan.kind === 'toggle') {
    const pairs = plan.requests.length / 2;
    return (w, i) => 2 * (w % pairs) + (i % 2);
  }
  let next = 0;
  return () => next++ % plan.requests.length;
}

/** `concurrency` loops, each waiting for its previous call: a closed-loop load like autocannon's. */
async function drive(load: LoadOptions, step: Step): Promise<LoadResult> {
  const iterations = new Array<number>(load.concurrency).fill(0);
  const phase = async (ms: number, rec: LatencyRecorder) => {
    const t0 = performance.now();
    const end = t0 + ms;
    await Promise.all(
      iterations.map(async (_, w) => {
        while (performance.now() < end) {
          const s = performance.now();
          try {
            const status = await step(w, iterations[w]!++);
            rec.record(performance.now() - s, status);
          } catch {
            rec.errors++;
          }
        }
      }),
    );
    return performance.now() - t0;
  };
  await phase(load.warmupMs, new LatencyRecorder());
  const rec = new LatencyRecorder();
  const ms = await phase(load.durationMs, rec);
  return rec.result(ms);
}

async function inProcess(plan: EndpointPlan, load: LoadOptions): Promise<LoadResult> {
  const pick = picker(plan);
  const domains = new Set(plan.requests.map((r) => r.domain));
  const loaded = new Map<string, ApiHandler>();
  for (const d of domains) loaded.set(d, await handlerFor(d));
  return drive(load, async (w, i) => {
    const spec = plan.requests[pick(w, i)]!;
    const result = await loaded.get(spec.domain)!(eventFor(spec), lambdaContext(spec.domain));
    return result.statusCode ?? 200;
  });
}

let pool: pg.Pool | undefined;

async function floor(plan: EndpointPlan, load: LoadOptions): Promise<LoadResult> {
  if (!plan.floor) throw new Error(`${plan.name}: no captured SQL`);
  const sequences = plan.floor;
  pool ??= new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.BENCH_FLOOR_POOL ?? process.env.DB_POOL_MAX),
  });
  const p = pool;
  const pick = picker(plan);
  return drive(load, async (w, i) => {
    const client = await p.connect();
    let inTransaction = false;
    try {
      for (const s of sequences[pick(w, i)]!) {
        await (s.name
          ? client.query({ name: s.name, text: s.text, values: s.values })
          : client.query(s.text, s.values));
        if (/^begin/i.test(s.text)) inTransaction = true;
        if (/^(commit|rollback)/i.test(s.text)) inTransaction = false;
      }
      client.release();
      return 200;
    } catch (err) {
      if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      throw err;
    }
  });
}

/** Closes this process's connections between runs: every stack shares max_connections. */
async function release() {
  await pool?.end();
  pool = undefined;
  const { closeDb } = await import('../../shared/db/client.ts');
  await closeDb();
}

/** Upload processing as S3 invokes it, on one uploaded clip, the row reset to `uploading` each time. */
async function processUpload(m: Extract<ToChild, { type: 'media' }>) {
  const { handler } = await import('../../functions/workers/process-upload.ts');
  const db = getDb();
  const event = (): S3Event =>
    ({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: new Date().toISOString(),
          eventName: 'ObjectCreated:Put',
          s3: {
            s3SchemaVersion: '1.0',
            bucket: { name: process.env.MEDIA_BUCKET! },
            object: { key: encodeS3EventKey(m.key), size: 0, eTag: 'bench' },
          },
        },
      ],
    }) as unknown as S3Event;
  const ms: number[] = [];
  const outcome: string[] = [];
  for (let i = 0; i < m.runs; i++) {
    await db.transaction().execute(async (trx) => {
      const was = await trx
        .updateTable('videos')
        .set({
          status: 'uploading',
          thumbnail_key: null,
          playback_key: null,
          poster_key: null,
          preview_key: null,
          original_key: null,
          processing_lease_until: null,
          duration_ms: null,
          width: null,
          height: null,
          size_bytes: null,
          failure_reason: null,
        })
        .where('id', '=', m.videoId)
        .returning(sql<string>`(SELECT status FROM videos WHERE id = ${m.videoId})`.as('before'))
        .executeTakeFirstOrThrow();
      if (was.before === 'ready') {
        await trx
          .updateTable('users')
          .set((eb) => ({ video_count: eb('video_count', '-', 1) }))
          .where('id', '=', m.ownerId)
          .execute();
      }
    });
    // A ready video's inbox object is gone: the S3 event of a new upload finds it there.
    await copyObject(benchStashKey(m.videoId), m.key);
    const t0 = performance.now();
    await handler(event());
    ms.push(performance.now() - t0);
    const row = await db
      .selectFrom('videos')
      .select('status')
      .where('id', '=', m.videoId)
      .executeTakeFirstOrThrow();
    outcome.push(row.status);
  }
  return { ms, outcome };
}

process.on('message', async (m: ToChild) => {
  try {
    if (m.type === 'run') {
      const result = mode === 'inproc' ? await inProcess(m.plan, m.load) : await floor(m.plan, m.load);
      await release();
      send({ type: 'result', id: m.id, result });
    } else if (m.type === 'release') {
      await release();
      send({ type: 'released' });
    } else if (m.type === 'media') {
      const r = await processUpload(m);
      send({ type: 'media-result', id: m.id, ...r });
    } else if (m.type === 'stop') {
      await pool?.end();
      const { closeDb } = await import('../../shared/db/client.ts');
      await closeDb();
      process.exit(0);
    }
  } catch (err) {
    send({
      type: 'error',
      ...('id' in m ? { id: m.id } : {}),
      message: String((err as Error)?.stack ?? err),
    });
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
