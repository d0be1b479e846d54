import { request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent exactly as given (already encoded): `..`, `%zz` and the like reach the server untouched. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  ms: number;
}

/**
 * One HTTP request without fetch's URL normalisation (fetch resolves `..` and re-encodes the
 * path; API Gateway and our local gateway receive what clients really send).
 */
export function rawRequest(baseUrl: string, req: RawRequest, timeoutMs = 20_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const body =
      req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    const r = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(body);
  });
}

/**
 * Percent-encodes what Node refuses to put on the request line (space, controls, anything
 * above U+00FF) and keeps every other character raw, `%`, `/`, `?` and `..` included.
 * With `keepLatin1`, U+0080–U+00FF go out as single raw bytes (invalid UTF-8 on the wire).
 */
export function rawPathText(text: string, keepLatin1 = false): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code > 0x20 && code < 0x7f) || (keepLatin1 && code >= 0x80 && code <= 0xff)) out += ch;
    else
      out += [...Buffer.from(ch, 'utf8')]
        .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
  }
  return out;
}
