/** Shapes shared by the orchestrator (run.ts) and its child processes (server.ts, worker.ts). */

/** One SQL statement as the app sent it through pg. */
export interface Statement {
  text: string;
  values: unknown[];
  /** Set when the app sent it as a named prepared statement (shared/db/plan-reuse.ts). */
  name?: string;
}

/** One HTTP request of an endpoint's rotation, and the same request as an API Gateway event. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path with query string, as a client sends it. */
  url: string;
  routeKey: string;
  domain: string;
  pathParameters?: Record<string, string>;
  token?: string;
}

export interface EndpointPlan {
  name: string;
  /**
   * read: each request of the rotation is independent. toggle: requests come in pairs
   * (like, unlike) of one user and video; each connection owns one pair and alternates.
   */
  kind: 'read' | 'toggle';
  requests: RequestSpec[];
  /** The SQL each request issued (captured once per request): what the floor replays. */
  floor?: Statement[][];
}

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

export interface LoadResult {
  requests: number;
  durationMs: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
}

export type ToChild =
  | { type: 'capture'; on: boolean }
  | { type: 'captured' }
  | { type: 'run'; id: number; plan: EndpointPlan; load: LoadOptions }
  | { type: 'media'; id: number; key: string; videoId: string; ownerId: string; runs: number }
  /** Close the database pool(s) until the next request (max_connections is shared). */
  | { type: 'release' }
  | { type: 'stop' };

export type FromChild =
  | { type: 'ready'; url?: string }
  | { type: 'captured'; statements: Statement[] }
  | { type: 'released' }
  | { type: 'result'; id: number; result: LoadResult }
  | { type: 'media-result'; id: number; ms: number[]; outcome: string[] }
  | { type: 'error'; id?: number; message: string };
