import { getDb } from '../../shared/db/client.ts';
import { openConnection } from '../../shared/realtime/connections.ts';
import type { WebSocketEvent, WebSocketResult } from '../../shared/realtime/protocol.ts';

/** `$connect` with `?token=<access token>` (browsers cannot set headers on a WebSocket). */
export async function connect(event: WebSocketEvent): Promise<WebSocketResult> {
  await openConnection(getDb(), event.requestContext.connectionId, event.queryStringParameters?.token);
  return { statusCode: 200 };
}
