import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'aws-events');

function load<T>(name: string): T {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;
}

/** An API Gateway HTTP API (payload v2) event, starting from the real AWS sample. */
export function httpApiEvent(opts: {
  method: string;
  path: string;
  /** Route template, e.g. `/v1/videos/{id}`; defaults to `path`. */
  route?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}): APIGatewayProxyEventV2 {
  const sample = load<APIGatewayProxyEventV2>('apigw-http-post.json');
  const routeKey = `${opts.method} ${opts.route ?? opts.path}`;
  const query = opts.query ?? {};
  return {
    ...sample,
    routeKey,
    rawPath: opts.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {
      ...sample.headers,
      ...(opts.body ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(opts.pathParameters ? { pathParameters: opts.pathParameters } : {}),
    requestContext: {
      ...sample.requestContext,
      routeKey,
      requestId: `test-${Math.random().toString(36).slice(2)}`,
      http: { ...sample.requestContext.http, method: opts.method, path: opts.path },
    },
    body: opts.body,
    isBase64Encoded: opts.isBase64Encoded ?? false,
  };
}

export function lambdaContext(name = 'test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function sampleEvent<T>(
  name: 's3-object-created.json' | 'sqs-batch.json' | 'apigw-http-full.json',
): T {
  return load<T>(name);
}
