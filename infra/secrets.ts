import { Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from './stage.ts';

/** Stack outputs naming the secrets an operator fills in after the first deploy. */
export const REPLICATE_API_TOKEN_OUTPUT = 'ReplicateApiTokenSecretArn';
export const REPLICATE_WEBHOOK_SECRET_OUTPUT = 'ReplicateWebhookSecretArn';

/** Application secrets not owned by another construct (the DB secret lives with the database). */
export class AppSecrets extends Construct {
  /** SecretString is the raw HMAC key for access tokens (shared/auth/config.ts: JWT_SECRET_ARN). */
  readonly jwtSecret: secretsmanager.Secret;
  /** SecretString is the Replicate API token `r8_…` (shared/ai/config.ts: REPLICATE_API_TOKEN_ARN). */
  readonly replicateApiToken: secretsmanager.Secret;
  /** SecretString is the webhook signing secret `whsec_…` (REPLICATE_WEBHOOK_SECRET_ARN). */
  readonly replicateWebhookSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const { config } = props;
    this.jwtSecret = new secretsmanager.Secret(this, 'JwtSecret', {
      description: `LOKIZ ${config.stage}: HMAC key for access tokens`,
      // Plain alphanumerics: no template, so the whole SecretString is the key.
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
      // Losing it in prod would sign everyone out, so prod keeps it on stack deletion.
      removalPolicy: config.removalPolicy,
    });

    // Third-party credentials can't be generated here, and a literal placeholder would sit in
    // the template: CloudFormation generates a random value that the operator replaces once.
    // Until then Replicate rejects the token (jobs fail and are refunded) and every webhook
    // fails its signature check (401), so nothing runs on a placeholder.
    this.replicateApiToken = new secretsmanager.Secret(this, 'ReplicateApiToken', {
      description:
        `LOKIZ ${config.stage}: Replicate API token. Replace the generated placeholder after the first ` +
        `deploy: aws secretsmanager put-secret-value --secret-id <${REPLICATE_API_TOKEN_OUTPUT} output> ` +
        '--secret-string r8_...',
      removalPolicy: config.removalPolicy,
    });
    this.replicateWebhookSecret = new secretsmanager.Secret(this, 'ReplicateWebhookSecret', {
      description:
        `LOKIZ ${config.stage}: Replicate webhook signing secret. Replace the generated placeholder with ` +
        'the whsec_... key from GET https://api.replicate.com/v1/webhooks/default/secret: ' +
        `aws secretsmanager put-secret-value --secret-id <${REPLICATE_WEBHOOK_SECRET_OUTPUT} output> ` +
        '--secret-string whsec_...',
      removalPolicy: config.removalPolicy,
    });

    Validations.of(this.jwtSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the HMAC key would invalidate every access token at once (tokens carry no key id, ' +
        'so old and new keys cannot overlap); rotate by hand with put-secret-value when needed.',
    });
    for (const secret of [this.replicateApiToken, this.replicateWebhookSecret]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          "Replicate's credentials are issued by Replicate and can only be changed there; Secrets " +
          'Manager cannot rotate them. The operator replaces the value (README: Deploy).',
      });
    }
  }
}
