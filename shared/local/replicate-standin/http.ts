import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

/** An error answered as Replicate does: JSON with at least `detail`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.detail));
  }
}

export const notFound = () => new HttpError(404, { detail: 'The requested resource could not be found.' });

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-replicate-standin': 'offline stand-in, not Replicate',
    ...headers,
  });
  res.end(text);
}

export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { detail: 'Request body too large.' });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new HttpError(400, { detail: 'JSON parse error - the request body is not valid JSON.' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, { detail: 'The request body must be a JSON object.' });
  }
  return parsed as Record<string, unknown>;
}

/** The API token from `Authorization: Bearer <token>` (or Replicate's older `Token <token>`). */
export function bearerToken(req: IncomingMessage): string | undefined {
  return /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** Seconds asked by `Prefer: wait` / `Prefer: wait=n` (Replicate's sync mode, at most 60), if any. */
export function preferWaitSeconds(req: IncomingMessage): number | undefined {
  const match = /^\s*wait(?:\s*=\s*(\d+))?\s*$/i.exec(String(req.headers.prefer ?? ''));
  if (!match) return undefined;
  return Math.min(60, Math.max(1, match[1] ? Number(match[1]) : 60));
}
