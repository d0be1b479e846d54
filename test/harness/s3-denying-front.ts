import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A front for the local S3 server that answers a missing key the way real S3 answers a caller
 * without s3:ListBucket: 403 AccessDenied (with S3's XML error body on GET) instead of 404.
 * s3rver only ever says 404, so this is how the tests see S3's other answer.
 */
export interface DenyingS3Front {
  endpoint: string;
  /** GET/HEAD requests it turned from 404 into 403. */
  denied: number;
  close(): Promise<void>;
}

const ACCESS_DENIED_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>' +
  '<RequestId>LOCAL403</RequestId><HostId>local-denying-front</HostId></Error>';

export async function startDenyingS3Front(upstream: string): Promise<DenyingS3Front> {
  const target = new URL(upstream);
  const state = { denied: 0 };
  const server: Server = createServer((req, res) => {
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        const read = req.method === 'GET' || req.method === 'HEAD';
        if (read && up.statusCode === 404) {
          state.denied++;
          up.resume();
          res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': 'LOCAL403' });
          res.end(req.method === 'HEAD' ? undefined : ACCESS_DENIED_XML);
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forwarded.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get denied() {
      return state.denied;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
