import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Domain, RouteDef } from '../http/route.ts';
import { routeKey } from '../http/route.ts';
import { CDN_STANDIN_BANNER, isMediaPath, serveMedia } from './cdn-standin.ts';
import { docsPageFor, serveDocsPage } from './docs-pages.ts';
import { localLambdaContext, newRequestId, runInvocation } from './invocation.ts';

/**
 * A local stand-in for API Gateway (HTTP API, payload format 2.0), built from the same
 * route table the CDK stack reads: it matches the request to a route, builds the event
 * AWS would send, and calls the same domain Lambda handler.
 */

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
export type HandlerLoader = (domain: Domain) => Promise<ApiHandler>;

/** API Gateway's own payload limit for HTTP APIs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  def: RouteDef;
  key: string;
  regex: RegExp;
  paramNames: string[];
  staticSegments: number;
}

function compile(def: RouteDef): CompiledRoute {
  const paramNames: string[] = [];
  let staticSegments = 0;
  const pattern = def.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) {
        paramNames.push(greedy[1]!);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        paramNames.push(param[1]!);
        return '([^/]+)';
      }
      staticSegments++;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { def, key: routeKey(def), regex: new RegExp(`^${pattern}$`), paramNames, staticSegments };
}

/** Loads `functions/<domain>/index.ts`, the same entry the CDK stack bundles. */
export const loadDomainHandler: HandlerLoader = async (domain) => {
  const mod = (await import(`../../functions/${domain}/index.ts`)) as { handler: ApiHandler };
  return mod.handler;
};

function singleValueMap(entries: Iterable<[string, string]>): Record<string, string> {
  // API Gateway joins repeated keys with commas.
  const out: Record<string, string> = {};
  // Object.hasOwn, not `in`: a key such as `constructor` must not find Object.prototype's.
  for (const [k, v] of entries) out[k] = Object.hasOwn(out, k) ? `${out[k]},${v}` : v;
  return out;
}

function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  return /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml))/i.test(contentType);
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
  'access-control-allow-headers': 'authorization,content-type',
  'access-control-max-age': '600',
};

export interface GatewayOptions {
  routes: Record<string, RouteDef>;
  port?: number;
  host?: string;
  loadHandler?: HandlerLoader;
  /** Serve Swagger UI at /docs and ReDoc at /redoc over GET /openapi.json. */
  docs?: boolean;
  /** Where to say that `/media/*` is the CDN stand-in (cdn-standin.ts); silent when unset. */
  log?: (line: string) => void;
}

export interface RunningGateway {
  url: string;
  server: Server;
  /** How many requests are still being handled (the bench waits for 0 before closing the pool). */
  inFlight(): number;
  close(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const compiled = Object.values(opts.routes)
    .map(compile)
    // Like API Gateway, the most specific route wins: more literal segments first.
    .sort((a, b) => b.staticSegments - a.staticSegments);
  const load = opts.loadHandler ?? loadDomainHandler;
  const loaded = new Map<Domain, Promise<ApiHandler>>();
  const handlerFor = (domain: Domain) => {
    let h = loaded.get(domain);
    if (!h) {
      h = load(domain);
      loaded.set(domain, h);
    }
    return h;
  };

  // Requests whose handler has not returned yet: a closed client socket does not stop one.
  let inFlight = 0;
  const server = createServer(async (req, res) => {
    inFlight++;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'OPTIONS') return send(res, 204, '', CORS_HEADERS);
      const docsPage = opts.docs && method === 'GET' ? docsPageFor(url.pathname) : undefined;
      if (docsPage) return serveDocsPage(docsPage, res);
      // The media CDN's paths (CloudFront in AWS): no API route starts with /media/.
      if (isMediaPath(url.pathname)) return await serveMedia(req, res, url.pathname);

      let match: { route: CompiledRoute; values: RegExpExecArray } | undefined;
      for (const route of compiled) {
        if (route.def.method !== method) continue;
        const values = route.regex.exec(url.pathname);
        if (values) {
          match = { route, values };
          break;
        }
      }
      if (!match) {
        return send(
          res,
          404,
          JSON.stringify({ error: { code: 'not_found', message: 'No such route' } }),
          CORS_HEADERS,
        );
      }

      const body = await readBody(req);
      if (body === 'too_large') {
        return send(
          res,
          413,
          JSON.stringify({ error: { code: 'payload_too_large', message: 'Request body exceeds 10 MB' } }),
          CORS_HEADERS,
        );
      }

      const pathParameters: Record<string, string> = {};
      try {
        match.route.paramNames.forEach((name, i) => {
          pathParameters[name] = decodeURIComponent(match.values[i + 1]!);
        });
      } catch {
        return send(res, 400, JSON.stringify({ error: { code: 'bad_request', message: 'Malformed URL' } }));
      }

      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      }
      const requestId = newRequestId();
      const now = new Date();
      const textual = isTextual(headers['content-type']);
      const rawQueryString = url.search.startsWith('?') ? url.search.slice(1) : '';
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey: match.route.key,
        rawPath: url.pathname,
        rawQueryString,
        ...(headers.cookie ? { cookies: headers.cookie.split(/;\s*/) } : {}),
        headers,
        ...(rawQueryString ? { queryStringParameters: singleValueMap(url.searchParams.entries()) } : {}),
        ...(match.route.paramNames.length ? { pathParameters } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: {
            method,
            path: url.pathname,
            protocol: `HTTP/${req.httpVersion}`,
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId,
          routeKey: match.route.key,
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
        },
        ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
        isBase64Encoded: body.length > 0 && !textual,
      };

      const handler = await handlerFor(match.route.def.domain);
      const domain = match.route.def.domain;
      const result = await runInvocation(requestId, () =>
        handler(event, localLambdaContext(domain, requestId)),
      );
      const out =
        result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? '');
      const outHeaders: Record<string, string | string[]> = { ...CORS_HEADERS };
      for (const [k, v] of Object.entries(result.headers ?? {})) outHeaders[k] = String(v);
      if (result.cookies?.length) outHeaders['set-cookie'] = result.cookies;
      res.writeHead(result.statusCode ?? 200, outHeaders);
      res.end(out);
    } catch (err) {
      // What API Gateway answers when the integration itself fails.
      console.error('[local-gateway] integration error', err);
      if (!res.headersSent) send(res, 500, JSON.stringify({ message: 'Internal Server Error' }));
      else res.end();
    } finally {
      inFlight--;
    }
  });

  // Idle keep-alive sockets are closed by the client only. With Node's default 5 s server-side
  // idle timeout, a request sent on a socket just as it expires gets ECONNRESET (nodejs/undici
  // #3141, Node 20 fetch included); under load, a test pausing ~5 s between two requests hit it.
  // close() still ends every connection.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  opts.log?.(`${CDN_STANDIN_BANNER} at ${url}/media/`);
  return {
    url,
    server,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
