import { getDb } from '../../shared/db/client.ts';
import { renewLiveConnection } from '../../shared/realtime/connections.ts';
import { RenewMessage, type WebSocketEvent, type WebSocketResult } from '../../shared/realtime/protocol.ts';
import { errorReply, reply } from './reply.ts';

/** `{"action":"renew","token":"<fresh access token>"}`: the socket lives on with the new token's expiry. */
export async function renew(event: WebSocketEvent): Promise<WebSocketResult> {
  let message: RenewMessage;
  try {
    message = RenewMessage.parse(JSON.parse(event.body ?? ''));
  } catch {
    return errorReply('bad_request', 'Send {"action":"renew","token":"<access token>"}');
  }
  const expiresAt = await renewLiveConnection(getDb(), event.requestContext.connectionId, message.token);
  return reply({ type: 'renewed', data: { expires_at: expiresAt.toISOString() } });
}
