import { getDb } from '../../shared/db/client.ts';
import { verifyOrigin } from '../../shared/http/origin.ts';
import { openConnection } from '../../shared/realtime/connections.ts';
import type { WebSocketEvent, WebSocketResult } from '../../shared/realtime/protocol.ts';

/**
 * `$connect` with `?token=<access token>` (browsers cannot set headers on a WebSocket). Only
 * through CloudFront and its WAF (infra/edge.ts), like every HTTP route: 403 otherwise.
 */
export async function connect(event: WebSocketEvent): Promise<WebSocketResult> {
  await verifyOrigin(event);
  await openConnection(getDb(), event.requestContext.connectionId, event.queryStringParameters?.token);
  return { statusCode: 200 };
}
