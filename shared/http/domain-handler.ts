import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from '../logging/logger.ts';
import { withEventKicks } from '../realtime/outbox.ts';
import { NotFoundError } from './errors.ts';
import { errorResponse } from './middlewares/error-response.ts';
import { requestLogging } from './middlewares/request-logging.ts';
import { clientIp, verifyOrigin } from './origin.ts';
import { authenticate, parseRequest } from './request.ts';
import { jsonResponse } from './response.ts';
import {
  type Domain,
  type DomainHandlers,
  Reply,
  type RouteDef,
  type RouteRequest,
  routeKey,
} from './route.ts';

type AnyHandler = (req: RouteRequest<RouteDef>) => Promise<unknown>;

/**
 * The Lambda entry for one domain: API Gateway routes every path of the domain to one
 * function, which dispatches on `event.routeKey` (the same key the local gateway sets).
 * parse → authenticate → call the route's handler → serialise through the response schema.
 */
export function createDomainHandler<T extends Record<string, RouteDef>, D extends Domain>(
  table: T,
  domain: D,
  handlers: DomainHandlers<T, D>,
) {
  const byKey = new Map<string, { def: RouteDef; handle: AnyHandler }>();
  for (const [name, def] of Object.entries(table)) {
    if (def.domain !== domain) continue;
    const handle = (handlers as Record<string, AnyHandler>)[name];
    if (!handle) throw new Error(`Route ${name} of domain ${domain} has no handler`);
    byKey.set(routeKey(def), { def, handle });
  }

  const dispatch = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    // Lambda's request id, cold start and function on every line (X-Ray's trace id is added by
    // Powertools itself when tracing is active).
    if (context) logger.addContext(context);
    // Before anything else: a request that skipped CloudFront (and its WAF) is refused.
    const viaCloudFront = await verifyOrigin(event);
    const entry = byKey.get(event.routeKey);
    if (!entry) throw new NotFoundError('Route');
    const { def, handle } = entry;
    const parsed = parseRequest(def, event);
    const user = await authenticate(def, event);
    if (user) logger.appendKeys({ user_id: user.id });
    const requestId = event.requestContext.requestId;
    const result = await handle({
      ...parsed,
      user,
      requestId,
      event,
      clientIp: clientIp(event, viaCloudFront),
    } as RouteRequest<RouteDef>);

    const reply = result instanceof Reply ? result : undefined;
    const status = reply?.status ?? def.status ?? (def.response ? 200 : 204);
    const raw = reply ? reply.body : result;
    // Serialising through the schema strips any field it does not declare (emails, hashes,
    // other people's credits), so a repository returning too much cannot leak it.
    const body = def.response && status !== 204 ? def.response.parse(raw) : undefined;
    return jsonResponse(status, body, requestId, reply?.headers);
  };

  return (
    middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
      .use(requestLogging())
      .use(errorResponse((key) => byKey.get(key)?.def))
      // Events the request recorded (notifications, job changes) go to fan-out once it is done.
      .handler((event, context) => withEventKicks(() => dispatch(event, context)))
  );
}
