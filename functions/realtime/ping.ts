import { getDb } from '../../shared/db/client.ts';
import { connectionExpiry } from '../../shared/realtime/connections.ts';
import type { WebSocketEvent, WebSocketResult } from '../../shared/realtime/protocol.ts';
import { reply } from './reply.ts';

/** `{"action":"ping"}`: keeps the socket out of API Gateway's 10-minute idle timeout; says until when it lives. */
export async function ping(event: WebSocketEvent): Promise<WebSocketResult> {
  const expiresAt = await connectionExpiry(getDb(), event.requestContext.connectionId);
  if (!expiresAt) return reply({ type: 'session.closing', data: { reason: 'expired' } });
  return reply({ type: 'pong', data: { expires_at: expiresAt.toISOString() } });
}
