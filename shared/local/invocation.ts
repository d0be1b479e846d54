import { randomBytes } from 'node:crypto';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';

/**
 * One Lambda invocation, locally. Everything `npm run dev` runs shares one process and so one
 * Powertools logger; without isolation, a worker's line would carry the keys of whichever HTTP
 * request ran last. Lambda has the same situation when it runs invocations concurrently
 * (managed instances): with AWS_LAMBDA_MAX_CONCURRENCY set, Powertools keeps each invocation's
 * keys and context in the InvokeStore, an AsyncLocalStorage. The local runtime opts into that.
 */
let store: InvokeStoreBase | undefined;

/** Gives every later `runInvocation` its own log context (call once, before serving). */
export async function isolateInvocations(): Promise<void> {
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  store = await InvokeStore.getInstanceAsync(true);
}

/** Runs `fn` as one invocation (its own log keys once `isolateInvocations` ran). */
export function runInvocation<T>(requestId: string, fn: () => T): T {
  return store ? store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, fn) : fn();
}

export function newRequestId(): string {
  return randomBytes(12).toString('base64url');
}

/** The context Lambda passes to `lokiz-<name>` (names as in the CDK stack). */
export function localLambdaContext(name: string, requestId: string, timeoutMs = 29_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `lokiz-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:lokiz-${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/lokiz-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
