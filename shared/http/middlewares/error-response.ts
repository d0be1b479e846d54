import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isDatabaseUnavailable, isForeignKeyViolation } from '../../db/errors.ts';
import { logger } from '../../logging/logger.ts';
import { documentedErrors, ERROR_CODES } from '../error-catalogue.ts';
import { AppError, ConflictError, ServiceUnavailableError, UnauthorizedError } from '../errors.ts';
import { errorBody, jsonResponse } from '../response.ts';
import { type RouteDef, routeKey } from '../route.ts';

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
export function errorResponse(
  routeFor: (routeKey: string) => RouteDef | undefined = () => undefined,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
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
        const undocumented = undocumentedError(routeFor(request.event.routeKey), error);
        if (undocumented) error = undocumented;
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

/**
 * Tests only (LOKIZ_CHECK_ERROR_DOCS=1): an answer whose code the route entry does not list
 * becomes a 500 saying what to document, so OpenAPI's error responses stay true. Lambda bundles
 * define the variable off (infra/bundling.ts), which drops this and the catalogue from them.
 */
function undocumentedError(def: RouteDef | undefined, error: AppError): AppError | undefined {
  if (process.env.LOKIZ_CHECK_ERROR_DOCS !== '1' || !def) return undefined;
  const known = (ERROR_CODES as Record<string, { status: number }>)[error.code];
  let problem: string | undefined;
  if (!known)
    problem = `add "${error.code}" (status ${error.status}) to ERROR_CODES in shared/http/error-catalogue.ts`;
  else if (known.status !== error.status)
    problem = `ERROR_CODES says ${known.status} for "${error.code}", the server answered ${error.status}`;
  else if (!documentedErrors(def).has(error.code))
    problem = `add '${error.code}' to \`errors\` of its entry in functions/${def.domain}/routes.ts`;
  if (!problem) return undefined;
  const message = `${routeKey(def)} answered ${error.status} ${error.code}, undocumented: ${problem}`;
  console.error(`[error docs] ${message}`);
  return new AppError(500, 'undocumented_error', message);
}
