import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { sizingOf } from './function-sizing.ts';
import { createLokizFunction, type LambdaRuntime } from './functions.ts';

const MIGRATION_TIMEOUT = sizingOf('migrate').timeout;

interface MigrationsProps {
  runtime: LambdaRuntime;
  /** Migrate only once these exist (the database and its proxy). */
  after: Construct[];
  /** Deploy these only after migrating, so new code never meets an old schema. */
  before: Construct[];
}

/** Runs the Kysely migrations during `cdk deploy`, whenever the migration bundle changes. */
export class Migrations extends Construct {
  readonly trigger: triggers.Trigger;
  /** The migrate worker the trigger invokes. */
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: MigrationsProps) {
    super(scope, id);
    const fn = createLokizFunction(this, 'MigrateFunction', props.runtime, {
      service: 'migrate',
      jwt: false,
      // Migrations run as the owner; the application role's secret is read once, to let it log in.
      databaseSecret: props.runtime.ownerDatabaseSecret,
      environment: { APP_DATABASE_SECRET_ARN: props.runtime.databaseSecret.secretArn },
    });
    props.runtime.databaseSecret.grantRead(fn);
    this.function = fn;
    this.trigger = new triggers.Trigger(this, 'MigrateTrigger', {
      handler: fn,
      // A new bundle means new or changed migrations (or new runtime code): run again.
      executeOnHandlerChange: true,
      executeAfter: props.after,
      executeBefore: props.before,
      timeout: MIGRATION_TIMEOUT,
    });
  }
}
