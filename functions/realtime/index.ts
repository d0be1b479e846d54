import type { Context } from 'aws-lambda';
import { isDatabaseUnavailable, isForeignKeyViolation } from '../../shared/db/errors.ts';
import { AppError, UnauthorizedError } from '../../shared/http/errors.ts';
import { logger, startInvocationLog } from '../../shared/logging/logger.ts';
import type { LiveRouteKey, WebSocketEvent, WebSocketResult } from '../../shared/realtime/protocol.ts';
import { connect } from './connect.ts';
import { disconnect } from './disconnect.ts';
import { ping } from './ping.ts';
import { renew } from './renew.ts';
import { errorReply } from './reply.ts';

const ROUTES: Record<LiveRouteKey, (event: WebSocketEvent) => Promise<WebSocketResult>> = {
  $connect: connect,
  $disconnect: disconnect,
  ping,
  renew,
  $default: async () =>
    errorReply('unknown_action', 'Send {"action":"ping"} or {"action":"renew","token":"…"}'),
};

/**
 * A refused handshake gets the error's HTTP status; a message route answers with an `error`
 * message (the socket stays open). Unknown failures are logged and opaque.
 */
function failure(routeKey: string, err: unknown): WebSocketResult {
  let error = err;
  // A valid token of an account deleted since: its connection row has no user to point at.
  if (!(error instanceof AppError) && isForeignKeyViolation(error)) {
    error = new UnauthorizedError('Account no longer exists', 'invalid_token');
  }
  if (!(error instanceof AppError) && isDatabaseUnavailable(error)) {
    logger.error('database unavailable', { error: error as Error });
    error = new AppError(503, 'database_unavailable', 'The database is unavailable; try again shortly');
  }
  if (!(error instanceof AppError)) {
    logger.error('live route failed', { error: error as Error });
    return { statusCode: 500 };
  }
  if (routeKey !== '$connect') return errorReply(error.code, error.message);
  return {
    statusCode: error.status,
    body: JSON.stringify({ error: { code: error.code, message: error.message } }),
  };
}

/**
 * The WebSocket API's Lambda (infra/realtime.ts): API Gateway routes on the message's `action`
 * (shared/realtime/protocol.ts). Locally the gateway in shared/local/websocket.ts calls it alike.
 */
export const handler = async (event: WebSocketEvent, context?: Context): Promise<WebSocketResult> => {
  startInvocationLog(context);
  const { routeKey, connectionId } = event.requestContext;
  logger.appendKeys({ connection_id: connectionId, route: routeKey });
  // Object.hasOwn: a route key such as `constructor` must not find Object.prototype's.
  const route = Object.hasOwn(ROUTES, routeKey) ? ROUTES[routeKey as LiveRouteKey] : ROUTES.$default;
  try {
    return await route(event);
  } catch (err) {
    return failure(routeKey, err);
  }
};
