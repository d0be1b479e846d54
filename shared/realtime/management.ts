import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { liveEnv } from './config.ts';
import type { ServerMessage } from './protocol.ts';

/**
 * API Gateway's management API for WebSocket connections (PostToConnection, DeleteConnection).
 * The SDK client is loaded on first use: only fan-out and the sweeper talk to sockets.
 * Locally WEBSOCKET_MANAGEMENT_URL is the stand-in in shared/local/websocket.ts, which speaks the
 * same REST shape (and ignores signatures, so it gets fixed placeholder credentials).
 */
let client: Promise<ApiGatewayManagementApiClient> | undefined;
let commands: typeof import('@aws-sdk/client-apigatewaymanagementapi') | undefined;

/** A hung call must not hold a whole fan-out batch; the message is retried instead. */
const CALL_TIMEOUT_MS = 5000;
/** The SDK's own tries per call (throttling, 5xx) before fan-out's retry takes over. */
export const MANAGEMENT_MAX_ATTEMPTS = 3;

async function management() {
  client ??= (async () => {
    commands = await import('@aws-sdk/client-apigatewaymanagementapi');
    const e = liveEnv();
    const local = e.WEBSOCKET_MANAGEMENT_URL.startsWith('http://');
    return new commands.ApiGatewayManagementApiClient({
      endpoint: e.WEBSOCKET_MANAGEMENT_URL,
      region: e.AWS_REGION,
      maxAttempts: MANAGEMENT_MAX_ATTEMPTS,
      ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
  })();
  client.catch(() => {
    client = undefined;
  });
  return { client: await client, sdk: commands! };
}

/** Tests and the local runtime point WEBSOCKET_MANAGEMENT_URL elsewhere between phases. */
export function resetManagementClient(): void {
  client = undefined;
}

function isGone(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410;
}

/** Sends one message to a socket; false when the socket is gone (410: the caller forgets it). */
export async function postToConnection(connectionId: string, message: ServerMessage): Promise<boolean> {
  const { client, sdk } = await management();
  try {
    await client.send(
      new sdk.PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }),
      { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
    );
    return true;
  } catch (err) {
    if (isGone(err)) return false;
    throw err;
  }
}

/** Closes a socket (API Gateway then runs $disconnect). A socket already gone is fine. */
export async function deleteConnection(connectionId: string): Promise<void> {
  const { client, sdk } = await management();
  try {
    await client.send(new sdk.DeleteConnectionCommand({ ConnectionId: connectionId }), {
      abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (err) {
    if (!isGone(err)) throw err;
  }
}
