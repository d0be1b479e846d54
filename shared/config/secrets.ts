import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Secrets Manager reads, cached per process: a Lambda fetches each secret once per
 * cold start, not once per request. The client is created lazily so local runs,
 * which never read Secrets Manager, don't pay for it.
 */
let client: SecretsManagerClient | undefined;
const cache = new Map<string, Promise<string>>();

export function getSecretString(arn: string): Promise<string> {
  let value = cache.get(arn);
  if (!value) {
    client ??= new SecretsManagerClient({});
    value = client.send(new GetSecretValueCommand({ SecretId: arn })).then((out) => {
      if (!out.SecretString) throw new Error(`Secret ${arn} has no string value`);
      return out.SecretString;
    });
    // A failed fetch must not poison the cache for the next request.
    value.catch(() => cache.delete(arn));
    cache.set(arn, value);
  }
  return value;
}
