import { getDb } from '../../shared/db/client.ts';
import { forgetConnection } from '../../shared/realtime/connections.ts';
import type { WebSocketEvent, WebSocketResult } from '../../shared/realtime/protocol.ts';

/** `$disconnect` (best effort in AWS: a socket it misses is forgotten on its first 410 or at expiry). */
export async function disconnect(event: WebSocketEvent): Promise<WebSocketResult> {
  await forgetConnection(getDb(), event.requestContext.connectionId);
  return { statusCode: 200 };
}
