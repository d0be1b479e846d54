import { afterAll, beforeAll } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { resetEnvCache } from '../../shared/config/env.ts';
import { closeDb } from '../../shared/db/client.ts';
import { type RunningGateway, startGateway } from '../../shared/local/gateway.ts';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Api {
  readonly url: string;
  /** The gateway's HTTP server (the local WebSocket API attaches to it: test/harness/live.ts). */
  readonly server: import('node:http').Server;
  request<T = any>(
    method: string,
    path: string,
    opts?: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string },
  ): Promise<ApiResponse<T>>;
}

/**
 * Starts the local gateway (the same route table and handlers as AWS, and the media CDN stand-in)
 * for one test file and returns a small HTTP client for it. Requests go over real HTTP.
 */
export function useApi(): Api {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startGateway({ routes, docs: true });
    // Public media URLs are served by this gateway's CDN stand-in (`/media/*`), as in `npm run dev`.
    process.env.MEDIA_CDN_BASE_URL = gateway.url;
    resetEnvCache();
  });
  afterAll(async () => {
    await gateway?.close();
    await closeDb();
  });
  return {
    get url() {
      return gateway.url;
    },
    get server() {
      return gateway.server;
    },
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let payload: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        payload = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${gateway.url}${path}`, { method, headers, body: payload });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // non-JSON bodies (docs pages) stay text
      }
      return { status: res.status, headers: res.headers, body: body as never, text };
    },
  };
}
