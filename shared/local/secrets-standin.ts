import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for AWS Secrets Manager that speaks its JSON 1.1 protocol (the one
 * @aws-sdk/client-secrets-manager uses) for GetSecretValue, PutSecretValue and
 * UpdateSecretVersionStage, with version stages: enough to read secrets as the Lambdas do and
 * to rotate one the way the rotation functions do (AWSPENDING, then move AWSCURRENT).
 * Point the SDK at it with AWS_ENDPOINT_URL_SECRETS_MANAGER. It checks no signatures.
 */
interface Version {
  value: string;
  stages: Set<string>;
  created: number;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export class SecretsManagerStandIn {
  private readonly secrets = new Map<string, Map<string, Version>>();
  private server: Server | undefined;
  /** GetSecretValue calls answered, per secret id. */
  readonly reads = new Map<string, number>();
  url = '';

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  async start(): Promise<{ url: string }> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        let status = 200;
        let body: unknown;
        try {
          body = this.call(
            target.replace(/^secretsmanager\./, ''),
            JSON.parse(Buffer.concat(chunks).toString() || '{}'),
          );
        } catch (err) {
          status = 400;
          const type = err instanceof ApiError ? err.type : 'InvalidRequestException';
          body = { __type: type, message: (err as Error).message };
          res.setHeader('x-amzn-errortype', type);
        }
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.log(`[secretsmanager-standin] (offline stand-in, not Secrets Manager) at ${this.url}`);
    return { url: this.url };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Creates or replaces a secret with one AWSCURRENT version; returns its ARN. */
  create(name: string, value: string): string {
    const arn = `arn:aws:secretsmanager:local:000000000000:secret:${name}`;
    this.secrets.set(
      arn,
      new Map([[randomUUID(), { value, stages: new Set(['AWSCURRENT']), created: Date.now() }]]),
    );
    return arn;
  }

  private versions(id: string): Map<string, Version> {
    const versions = this.secrets.get(id) ?? [...this.secrets].find(([arn]) => arn.endsWith(`:${id}`))?.[1];
    if (!versions)
      throw new ApiError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return versions;
  }

  private moveStage(versions: Map<string, Version>, stage: string, to: string | undefined): void {
    for (const v of versions.values()) v.stages.delete(stage);
    if (to) versions.get(to)?.stages.add(stage);
  }

  private call(action: string, input: Record<string, unknown>): unknown {
    const id = String(input.SecretId ?? '');
    const versions = this.versions(id);
    const arn = [...this.secrets].find(([, v]) => v === versions)![0];
    switch (action) {
      case 'GetSecretValue': {
        const stage = String(input.VersionStage ?? 'AWSCURRENT');
        const entry = [...versions].find(([vid, v]) =>
          input.VersionId ? vid === input.VersionId : v.stages.has(stage),
        );
        if (!entry) {
          throw new ApiError(
            'ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
          );
        }
        this.reads.set(arn, (this.reads.get(arn) ?? 0) + 1);
        const [versionId, v] = entry;
        return {
          ARN: arn,
          Name: arn.split(':').at(-1),
          SecretString: v.value,
          VersionId: versionId,
          VersionStages: [...v.stages],
          CreatedDate: v.created / 1000,
        };
      }
      case 'PutSecretValue': {
        const versionId = String(input.ClientRequestToken ?? randomUUID());
        const stages = (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'];
        for (const stage of stages) this.moveStage(versions, stage, undefined);
        versions.set(versionId, {
          value: String(input.SecretString),
          stages: new Set(stages),
          created: Date.now(),
        });
        return { ARN: arn, VersionId: versionId, VersionStages: stages };
      }
      case 'UpdateSecretVersionStage': {
        const stage = String(input.VersionStage);
        const to = input.MoveToVersionId as string | undefined;
        if (stage === 'AWSCURRENT' && to) {
          const previous = [...versions].find(([, v]) => v.stages.has('AWSCURRENT'))?.[0];
          this.moveStage(versions, 'AWSPREVIOUS', previous);
        }
        this.moveStage(versions, stage, to);
        return { ARN: arn, Name: arn.split(':').at(-1) };
      }
      default:
        throw new ApiError('InvalidActionException', `the stand-in does not implement ${action}`);
    }
  }
}
