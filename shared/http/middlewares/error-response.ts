import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isDatabaseUnavailable, isForeignKeyViolation } from '../../db/errors.ts';
import { logger } from '../../logging/logger.ts';
import { AppError, ConflictError, ServiceUnavailableError, UnauthorizedError } from '../errors.ts';
import { errorBody, jsonResponse } from '../response.ts';

/**
 * A row referring to something that vanished between our check and our write. When that is the
 * caller's own account (a valid token outliving its user), the token is no good: 401, as
 * /v1/auth/me says. Anything else (a video deleted meanwhile) is a conflict, not our crash.
 */
function foreignKeyError(err: unknown): AppError {
  const detail = String((err as { detail?: unknown }).detail ?? '');
  const callerColumn = /^Key \((user_id|owner_id|author_id|follower_id|actor_id)\)=.* table "users"/.test(
    detail,
  );
  return callerColumn
    ? new UnauthorizedError('Account no longer exists', 'invalid_token')
    : new ConflictError('Something this refers to no longer exists', undefined, 'reference_gone');
}

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
      if (!(error instanceof AppError) && isForeignKeyViolation(error)) {
        error = foreignKeyError(error);
      }
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
