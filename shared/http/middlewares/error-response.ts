import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isDatabaseUnavailable } from '../../db/errors.ts';
import { logger } from '../../logging/logger.ts';
import { AppError, ServiceUnavailableError } from '../errors.ts';
import { errorBody, jsonResponse } from '../response.ts';

/**
 * Maps every thrown error to the one JSON error shape. Only AppErrors (< 500 by design,
 * plus the 503 for an unreachable database) reveal their message; anything else is an
 * opaque 500 carrying the request id, with the details going to the log only.
 */
export function errorResponse(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    name: 'errorResponse',
    onError: (request) => {
      const requestId = request.event.requestContext?.requestId;
      let error = request.error;
      if (!(error instanceof AppError) && isDatabaseUnavailable(error)) {
        logger.error('database unavailable', { error: error as Error });
        error = new ServiceUnavailableError(
          'The database is unavailable; try again shortly',
          'database_unavailable',
        );
      }
      if (error instanceof AppError) {
        if (error.status >= 500) logger.error('request failed', { status: error.status, code: error.code });
        request.response = jsonResponse(
          error.status,
          errorBody(error.code, error.message, error.details, requestId),
          requestId,
          error.headers,
        );
        return;
      }
      logger.error('unhandled error', { error: error as Error });
      request.response = jsonResponse(
        500,
        errorBody('internal_error', 'Something went wrong on our side', undefined, requestId),
        requestId,
      );
    },
  };
}
