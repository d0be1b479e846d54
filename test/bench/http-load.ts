import autocannon, { type AutocannonRequest } from 'autocannon';
import type { EndpointPlan, LoadOptions, LoadResult, RequestSpec } from './protocol.ts';
import { LatencyRecorder } from './stats.ts';

function toRequest(spec: RequestSpec): AutocannonRequest {
  return {
    method: spec.method,
    path: spec.url,
    headers: spec.token ? { authorization: `Bearer ${spec.token}` } : {},
  };
}

/**
 * autocannon against the API: `concurrency` keep-alive connections, one request in flight on
 * each (closed loop, no pipelining). Each connection rotates through the plan's requests from
 * its own offset (a toggle plan: its own like/unlike pair). Warm-up and measurement are one
 * run so a toggle never loses its alternation; only responses after the warm-up are counted.
 * Latencies are recorded from autocannon's per-response timings (sub-millisecond, unlike its
 * own 1 ms histogram), and percentiles computed the same way as for the baselines.
 */
export function runHttpLoad(baseUrl: string, plan: EndpointPlan, load: LoadOptions): Promise<LoadResult> {
  const rotation = (client: number): AutocannonRequest[] => {
    if (plan.kind === 'toggle') {
      const pair = client % (plan.requests.length / 2);
      return [toRequest(plan.requests[2 * pair]!), toRequest(plan.requests[2 * pair + 1]!)];
    }
    const n = plan.requests.length;
    const offset = Math.floor((client * n) / load.concurrency);
    return plan.requests.map((_, i) => toRequest(plan.requests[(offset + i) % n]!));
  };

  return new Promise((resolve, reject) => {
    const rec = new LatencyRecorder();
    let clients = 0;
    const started = performance.now();
    const measureFrom = started + load.warmupMs;
    let measureEnd = measureFrom;
    const instance = autocannon(
      {
        url: baseUrl,
        connections: load.concurrency,
        pipelining: 1,
        duration: (load.warmupMs + load.durationMs) / 1000,
        timeout: 30,
        requests: [toRequest(plan.requests[0]!)],
        setupClient: (client) => client.setRequests(rotation(clients++)),
      },
      (err) => {
        if (err) return reject(err);
        resolve(rec.result(Math.max(1, measureEnd - measureFrom)));
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      const now = performance.now();
      if (now < measureFrom) return;
      measureEnd = now;
      rec.record(responseTime, statusCode);
    });
    instance.on('reqError', () => {
      if (performance.now() >= measureFrom) rec.errors++;
    });
  });
}
