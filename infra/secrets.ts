import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from './stage.ts';

/** Application secrets not owned by another construct (the DB secret lives with the database). */
export class AppSecrets extends Construct {
  /** SecretString is the raw HMAC key for access tokens (shared/auth/config.ts: JWT_SECRET_ARN). */
  readonly jwtSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    this.jwtSecret = new secretsmanager.Secret(this, 'JwtSecret', {
      description: `LOKIZ ${props.config.stage}: HMAC key for access tokens`,
      // Plain alphanumerics: no template, so the whole SecretString is the key.
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
      // Losing it in prod would sign everyone out, so prod keeps it on stack deletion.
      removalPolicy: props.config.removalPolicy,
    });
  }
}
