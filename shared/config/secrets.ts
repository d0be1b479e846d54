import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Secrets Manager reads, cached per process: a Lambda fetches each secret once per
 * cold start, not once per request. The SDK is imported on first use (a dynamic `import()`,
 * which esbuild keeps out of the bundle's start-up), so local runs, which never read Secrets
 * Manager, don't load it, and in AWS it loads during the first request, not the init phase
 * that imports every module. (The SDK honours AWS_ENDPOINT_URL_SECRETS_MANAGER, which the
 * tests point at a local stand-in.)
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

/** AWSCURRENT, or AWSPENDING while a rotation is between setting and finishing the new value. */
export type VersionStage = 'AWSCURRENT' | 'AWSPENDING';

export function getSecretString(arn: string, stage: VersionStage = 'AWSCURRENT'): Promise<string> {
  const cacheKey = `${stage} ${arn}`;
  let value = cache.get(cacheKey);
  if (!value) {
    value = secretsClient()
      .then(({ client, GetSecretValueCommand }) =>
        client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage })),
      )
      .then((out) => {
        if (!out.SecretString) throw new Error(`Secret ${arn} has no string value`);
        return out.SecretString;
      });
    // A failed fetch must not poison the cache for the next request.
    value.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, value);
  }
  return value;
}

/** Drops the cached values of a secret (after a rotation made them stale). */
export function forgetSecret(arn: string): void {
  for (const key of [...cache.keys()]) if (key.endsWith(` ${arn}`)) cache.delete(key);
}

/** Tests point the SDK at another endpoint between files. */
export function resetSecretsClient(): void {
  client = undefined;
  cache.clear();
}
