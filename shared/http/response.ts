import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  // API responses are per-caller (likes, private videos, presigned URLs): never cache in shared caches.
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function jsonResponse(
  status: number,
  body: unknown,
  requestId: string | undefined,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { ...BASE_HEADERS, ...(requestId ? { 'x-request-id': requestId } : {}), ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function errorBody(code: string, message: string, details?: unknown, requestId?: string) {
  return {
    error: {
      code,
      message,
      ...(details === undefined ? {} : { details }),
      ...(requestId ? { request_id: requestId } : {}),
    },
  };
}
