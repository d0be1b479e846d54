import type { ServerMessage, WebSocketResult } from '../../shared/realtime/protocol.ts';

/** A two-way route's answer: one message back to the client. */
export function reply(message: ServerMessage): WebSocketResult {
  return { statusCode: 200, body: JSON.stringify(message) };
}

export function errorReply(code: string, message: string): WebSocketResult {
  return reply({ type: 'error', data: { code, message } });
}
