import { type App, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag's AWS Solutions rules as a validation plugin (cdk-nag 3 is no longer an Aspect): any
 * finding not acknowledged with a reason makes `app.synth()`, hence `npm run synth` and
 * `cdk deploy`, fail. Acknowledgements sit next to the construct they excuse.
 */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
const BASIC_EXECUTION_REASON =
  'CDK writes this role: the AWS managed basic execution policy, i.e. writing its own logs.';

/**
 * Stack-level singleton functions that CDK adds for its own features, whose roles we don't write:
 * acknowledged on those constructs only (never stack-wide), finding by finding.
 */
const CDK_INTERNALS: { idPrefix: string; feature: string; findings: Record<string, string> }[] = [
  {
    // rds.DatabaseInstance `cloudwatchLogsRetention`: RDS creates its log group itself.
    idPrefix: 'LogRetention',
    feature: 'sets the retention of the log group RDS creates for its PostgreSQL logs',
    findings: {
      [BASIC_EXECUTION_ROLE]: BASIC_EXECUTION_REASON,
      'AwsSolutions-IAM5[Resource::*]':
        'CDK writes this policy: logs:PutRetentionPolicy/DeleteRetentionPolicy on "*", because the ' +
        'log group is named by RDS at deploy time.',
    },
  },
  {
    // s3.Bucket.addEventNotification (media.ts).
    idPrefix: 'BucketNotificationsHandler',
    feature: "writes the media bucket's notification configuration (uploads/ -> upload processing)",
    findings: { [BASIC_EXECUTION_ROLE]: BASIC_EXECUTION_REASON },
  },
];

export function acknowledgeCdkInternals(stack: Stack): void {
  for (const child of stack.node.children as IConstruct[]) {
    const internal = CDK_INTERNALS.find((i) => child.node.id.startsWith(i.idPrefix));
    if (!internal) continue;
    for (const [id, reason] of Object.entries(internal.findings)) {
      Validations.of(child).acknowledge({
        id,
        reason: `CDK's own ${internal.idPrefix} singleton, which ${internal.feature}. ${reason}`,
      });
    }
  }
}
