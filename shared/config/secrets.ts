import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Secrets Manager reads, cached per process: a Lambda fetches each secret once per
 * cold start, not once per request. The SDK is imported on first use (a dynamic `import()`,
 * which esbuild keeps out of the bundle's start-up), so local runs, which never read Secrets
 * Manager, don't load it, and in AWS it loads during the first request, not the init phase
 * that imports every module.
 */
let client:
  | Promise<{
      client: SecretsManagerClient;
      GetSecretValueCommand: typeof import('@aws-sdk/client-secrets-manager').GetSecretValueCommand;
    }>
  | undefined;
const cache = new Map<string, Promise<string>>();

async function secretsClient() {
  client ??= import('@aws-sdk/client-secrets-manager').then(
    ({ SecretsManagerClient, GetSecretValueCommand }) => ({
      client: new SecretsManagerClient({}),
      GetSecretValueCommand,
    }),
  );
  return client;
}

export function getSecretString(arn: string): Promise<string> {
  let value = cache.get(arn);
  if (!value) {
    value = secretsClient()
      .then(({ client, GetSecretValueCommand }) => client.send(new GetSecretValueCommand({ SecretId: arn })))
      .then((out) => {
        if (!out.SecretString) throw new Error(`Secret ${arn} has no string value`);
        return out.SecretString;
      });
    // A failed fetch must not poison the cache for the next request.
    value.catch(() => cache.delete(arn));
    cache.set(arn, value);
  }
  return value;
}
