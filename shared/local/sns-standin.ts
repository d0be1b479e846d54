import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { listenOn } from './ports.ts';

/**
 * The OFFLINE SNS STAND-IN for mobile push: a local server speaking the slice of SNS's query
 * protocol that shared/push/sns.ts uses (CreatePlatformEndpoint, SetEndpointAttributes,
 * DeleteEndpoint, Publish), so the real @aws-sdk/client-sns runs against it. Nothing reaches
 * APNs or FCM: each publish is logged as what would be sent and kept in `sent` for tests.
 * `disable(token)` plays APNs/FCM reporting a dead token: publishing to it answers
 * EndpointDisabled, as SNS does.
 */
export interface SentPush {
  endpointArn: string;
  token: string;
  platform: 'ios' | 'android';
  /** The `default` text (what a phone shows). */
  body: string;
  /** The per-platform payloads (MessageStructure json). */
  message: Record<string, string>;
  attributes: Record<string, string>;
}

interface Endpoint {
  arn: string;
  token: string;
  applicationArn: string;
  enabled: boolean;
}

export interface SnsStandIn {
  url: string;
  /** Platform application ARNs to configure (PUSH_APNS_/PUSH_FCM_APPLICATION_ARN). */
  apnsApplicationArn: string;
  fcmApplicationArn: string;
  readonly sent: SentPush[];
  /** Endpoints that exist, by ARN. */
  readonly endpoints: ReadonlyMap<string, { token: string; enabled: boolean }>;
  disable(token: string): void;
  close(): Promise<void>;
}

const TAG = '[push-standin] (offline stand-in, not SNS)';
const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `Attributes.entry.1.key=Enabled&Attributes.entry.1.value=true` → { Enabled: 'true' } (also MessageAttributes). */
function entries(form: URLSearchParams, prefix: string, key: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; form.has(`${prefix}.entry.${i}.${key}`); i++) {
    out[form.get(`${prefix}.entry.${i}.${key}`)!] = form.get(`${prefix}.entry.${i}.${value}`) ?? '';
  }
  return out;
}

/** `port`: default any free port. */
export async function startSnsStandIn(
  opts: { log?: (line: string) => void; port?: number } = {},
): Promise<SnsStandIn> {
  const log = opts.log ?? (() => undefined);
  const account = '000000000000';
  const apnsApplicationArn = `arn:aws:sns:us-east-1:${account}:app/APNS/lokiz-local`;
  const fcmApplicationArn = `arn:aws:sns:us-east-1:${account}:app/GCM/lokiz-local`;
  const endpoints = new Map<string, Endpoint>();
  const sent: SentPush[] = [];

  const ok = (res: ServerResponse, action: string, result = '') => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<${action}Response xmlns="${NS}"><${action}Result>${result}</${action}Result>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
    );
  };
  const fail = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(
      `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
        `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const action = form.get('Action') ?? '';
      switch (action) {
        case 'CreatePlatformEndpoint': {
          const app = form.get('PlatformApplicationArn') ?? '';
          const token = form.get('Token') ?? '';
          if (app !== apnsApplicationArn && app !== fcmApplicationArn) {
            return fail(res, 404, 'NotFound', 'PlatformApplication does not exist');
          }
          if (!token) return fail(res, 400, 'InvalidParameter', 'Invalid parameter: Token');
          // SNS returns the existing endpoint for a token it already knows.
          let endpoint = [...endpoints.values()].find((e) => e.applicationArn === app && e.token === token);
          if (!endpoint) {
            const arn = `${app.replace(':app/', ':endpoint/')}/${randomUUID()}`;
            endpoint = { arn, token, applicationArn: app, enabled: true };
            endpoints.set(arn, endpoint);
          }
          return ok(res, action, `<EndpointArn>${xmlEscape(endpoint.arn)}</EndpointArn>`);
        }
        case 'SetEndpointAttributes': {
          const endpoint = endpoints.get(form.get('EndpointArn') ?? '');
          if (!endpoint) return fail(res, 404, 'NotFound', 'Endpoint does not exist');
          const attributes = entries(form, 'Attributes', 'key', 'value');
          if (attributes.Enabled !== undefined) endpoint.enabled = attributes.Enabled === 'true';
          return ok(res, action);
        }
        case 'DeleteEndpoint':
          endpoints.delete(form.get('EndpointArn') ?? '');
          return ok(res, action);
        case 'Publish': {
          const endpoint = endpoints.get(form.get('TargetArn') ?? '');
          if (!endpoint) return fail(res, 404, 'NotFound', 'Endpoint does not exist');
          if (!endpoint.enabled) return fail(res, 400, 'EndpointDisabled', 'Endpoint is disabled');
          const message = JSON.parse(form.get('Message') ?? '{}') as Record<string, string>;
          const platform = endpoint.applicationArn === apnsApplicationArn ? 'ios' : 'android';
          const push: SentPush = {
            endpointArn: endpoint.arn,
            token: endpoint.token,
            platform,
            body: message.default ?? '',
            message,
            attributes: entries(form, 'MessageAttributes', 'Name', 'Value.StringValue'),
          };
          sent.push(push);
          log(`${TAG} would push to ${platform} device …${endpoint.token.slice(-6)}: "${push.body}"`);
          return ok(res, action, `<MessageId>${randomUUID()}</MessageId>`);
        }
        default:
          return fail(res, 400, 'InvalidAction', `The stand-in does not implement ${action || 'that'}`);
      }
    });
  });
  const url = `http://127.0.0.1:${await listenOn(server, opts.port)}`;
  log(`${TAG} listening at ${url}`);
  return {
    url,
    apnsApplicationArn,
    fcmApplicationArn,
    sent,
    endpoints,
    disable(token) {
      for (const e of endpoints.values()) if (e.token === token) e.enabled = false;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
