import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../../logging/logger.ts';

/** Tags every log line of the invocation with the request id and route, and logs one access line. */
export function requestLogging(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  let started = 0;
  const done = (status: number | undefined) =>
    logger.info('request', { status, duration_ms: Math.round(performance.now() - started) });
  return {
    name: 'requestLogging',
    before: (request) => {
      started = performance.now();
      const ctx = request.event.requestContext;
      logger.resetKeys();
      logger.appendKeys({ request_id: ctx?.requestId, route: request.event.routeKey });
    },
    after: (request) => done(request.response?.statusCode),
    onError: (request) => done(request.response?.statusCode),
  };
}
