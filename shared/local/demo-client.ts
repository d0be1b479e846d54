import { resolveApiUrl } from './dev-state.ts';

/**
 * The demo's HTTP client (`npm run demo`): what a phone does, over the local gateway. It finds the API
 * through API_URL, else PORT, else the `.lokiz/dev.json` that `npm run dev` writes.
 */
export const { url: API, source: API_SOURCE } = resolveApiUrl();
export const log = (line: string) => console.log(`[demo] ${line}`);

// biome-ignore lint/suspicious/noExplicitAny: a demo client reading loosely-typed JSON
export async function call<T = any>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, seconds = 120): Promise<T> {
  for (let i = 0; i < seconds * 2; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits for an AI job to succeed (and its video, if any, to be ready). */
export function untilJobDone(what: string, jobId: string, token: string) {
  return until(what, async () => {
    const j = await call('GET', `/v1/ai/jobs/${jobId}`, undefined, token);
    if (j.status === 'failed' || j.status === 'canceled') throw new Error(`${what} ${j.status}: ${j.error}`);
    const videoReady = !j.result_video_id || j.result_video_status === 'ready';
    return j.status === 'succeeded' && videoReady && (j.result_video_id || j.audio_url) ? j : undefined;
  });
}
