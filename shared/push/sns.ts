import type { SNSClient } from '@aws-sdk/client-sns';
import type { PushPlatform } from '../db/schema.ts';
import { pushEnv } from './config.ts';

/**
 * SNS mobile push: one platform endpoint per device token, published to directly. The SDK client
 * is loaded on first use (the notifications domain and fan-out only). Locally SNS_ENDPOINT is the
 * stand-in in shared/local/sns-standin.ts, which speaks SNS's query protocol and logs what would
 * be sent; it ignores signatures, so it gets fixed placeholder credentials.
 */
let client: Promise<SNSClient> | undefined;
let sdk: typeof import('@aws-sdk/client-sns') | undefined;

const CALL_TIMEOUT_MS = 5000;

async function sns() {
  client ??= (async () => {
    sdk = await import('@aws-sdk/client-sns');
    const e = pushEnv();
    return new sdk.SNSClient({
      region: e.AWS_REGION,
      ...(e.SNS_ENDPOINT
        ? { endpoint: e.SNS_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
  })();
  client.catch(() => {
    client = undefined;
  });
  return { client: await client, sdk: sdk! };
}

export function resetSnsClient(): void {
  client = undefined;
}

const signal = () => ({ abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) });

/** The platform application a device of this platform registers with; undefined when not configured. */
export function platformApplicationArn(platform: PushPlatform): string | undefined {
  const e = pushEnv();
  return platform === 'ios' ? e.PUSH_APNS_APPLICATION_ARN : e.PUSH_FCM_APPLICATION_ARN;
}

/** Idempotent in SNS: the same token on the same application returns the same endpoint. */
export async function createPlatformEndpoint(applicationArn: string, token: string): Promise<string> {
  const { client, sdk } = await sns();
  const out = await client.send(
    new sdk.CreatePlatformEndpointCommand({ PlatformApplicationArn: applicationArn, Token: token }),
    signal(),
  );
  if (!out.EndpointArn) throw new Error('SNS returned no EndpointArn');
  return out.EndpointArn;
}

/**
 * A token registered again may belong to an endpoint APNs/FCM had disabled (app reinstalled):
 * the fresh registration proves it works, so it is enabled again.
 */
export async function enableEndpoint(endpointArn: string): Promise<void> {
  const { client, sdk } = await sns();
  await client.send(
    new sdk.SetEndpointAttributesCommand({ EndpointArn: endpointArn, Attributes: { Enabled: 'true' } }),
    signal(),
  );
}

export async function deleteEndpoint(endpointArn: string): Promise<void> {
  const { client, sdk } = await sns();
  // Deleting an endpoint that does not exist succeeds in SNS.
  await client.send(new sdk.DeleteEndpointCommand({ EndpointArn: endpointArn }), signal());
}

export type PublishOutcome = 'sent' | 'disabled' | 'gone';

/**
 * Publishes a platform payload (MessageStructure json). `disabled`: APNs/FCM told SNS the token is
 * dead (EndpointDisabled); `gone`: the endpoint was deleted. Either way the device is forgotten.
 */
export async function publishToEndpoint(
  endpointArn: string,
  message: Record<string, string>,
  attributes: Record<string, string>,
): Promise<PublishOutcome> {
  const { client, sdk } = await sns();
  try {
    await client.send(
      new sdk.PublishCommand({
        TargetArn: endpointArn,
        MessageStructure: 'json',
        Message: JSON.stringify(message),
        MessageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
        ),
      }),
      signal(),
    );
    return 'sent';
  } catch (err) {
    if (err instanceof sdk.EndpointDisabledException) return 'disabled';
    if (err instanceof sdk.NotFoundException) return 'gone';
    throw err;
  }
}
