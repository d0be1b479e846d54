import type { Template } from 'aws-cdk-lib/assertions';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DELETION_MAX_RECEIVES } from '../../infra/accounts.ts';
import type { FunctionName } from '../../infra/function-sizing.ts';
import { MAIL_SENDERS } from '../../infra/mail.ts';
import { DELETION_QUEUE_ENV, EXPORT_MAX_RECEIVES, EXPORT_QUEUE_ENV } from '../../shared/accounts/queues.ts';
import {
  envOf,
  functionsByService,
  mediaBucket,
  onlyResource,
  propsOf,
  referencedId,
  resourcesOfType,
  roleOf,
  type Statement,
  s3Grants,
  statementsOfRole,
  synthStack,
  synthTemplate,
} from './synth.ts';

let dev: Template;
beforeAll(() => {
  dev = synthTemplate('dev');
});

const idOf = (template: Template, name: FunctionName) => {
  const id = functionsByService(template).get(`lokiz-${name}`);
  if (!id) throw new Error(`no Lambda for ${name}`);
  return id;
};
const sesStatements = (template: Template, name: FunctionName): Statement[] =>
  statementsOfRole(template, roleOf(template, idOf(template, name))).filter((s) =>
    [s.Action].flat().some((a) => a.startsWith('ses:') || a === '*'),
  );

describe('mail (SES v2)', () => {
  it('has the sender domain identity (from context) with a configuration set', () => {
    const stack = CdkTemplate.fromStack(synthStack('dev', { mailDomain: 'mail.trickster.example' }));
    const [, identity] = onlyResource(stack, 'AWS::SES::EmailIdentity');
    const [setId, set] = onlyResource(stack, 'AWS::SES::ConfigurationSet');
    expect(propsOf(identity).EmailIdentity).toBe('mail.trickster.example');
    expect(
      referencedId(
        (propsOf(identity).ConfigurationSetAttributes as { ConfigurationSetName: unknown })
          .ConfigurationSetName,
      ),
    ).toBe(setId);
    expect(propsOf(set)).toMatchObject({
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    const env = envOf(stack, idOf(stack, 'auth'));
    expect(env).toMatchObject({
      MAIL_TRANSPORT: 'ses',
      MAIL_FROM: 'LOKIZ <no-reply@mail.trickster.example>',
    });
    expect(referencedId(env.SES_CONFIGURATION_SET)).toBe(setId);
  });

  it('lets exactly the senders send, only ses:SendEmail, only from the one address', () => {
    const senders = [...functionsByService(dev).keys()]
      .map((s) => s.replace(/^lokiz-/, '') as FunctionName)
      .filter((name) => sesStatements(dev, name).length > 0)
      .sort();
    expect(senders).toEqual([...MAIL_SENDERS].sort());
    const [identityId] = onlyResource(dev, 'AWS::SES::EmailIdentity');
    for (const name of MAIL_SENDERS) {
      const statements = sesStatements(dev, name);
      expect(statements).toHaveLength(1);
      const [s] = statements;
      expect(s!.Action).toBe('ses:SendEmail');
      const resources = [s!.Resource].flat();
      expect(resources).toHaveLength(2);
      expect(JSON.stringify(resources)).toContain(identityId);
      expect(JSON.stringify(resources)).toContain('configuration-set/');
      expect(s!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@mail.lokiz.example' } });
    }
  });
});

describe('account workers', () => {
  const sourceQueue = (template: Template, name: FunctionName) => {
    const fnId = idOf(template, name);
    const mappings = Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping'))
      .map((m) => propsOf(m))
      .filter((p) => referencedId(p.FunctionName) === fnId);
    expect(mappings).toHaveLength(1);
    const queueId = referencedId(mappings[0]!.EventSourceArn)!;
    const queue = propsOf(resourcesOfType(template, 'AWS::SQS::Queue')[queueId]);
    return { mapping: mappings[0]!, queueId, queue };
  };

  it.each([
    ['account-deletion', DELETION_MAX_RECEIVES, DELETION_QUEUE_ENV],
    ['account-export', EXPORT_MAX_RECEIVES, EXPORT_QUEUE_ENV],
  ] as const)(
    '%s: fed by its own encrypted queue with a DLQ that alarms; only the account Lambda and the reconciler send',
    (name, receives, env) => {
      const { mapping, queueId, queue } = sourceQueue(dev, name);
      expect(mapping).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
      expect(queue.SqsManagedSseEnabled).toBe(true);
      const redrive = queue.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };
      expect(redrive.maxReceiveCount).toBe(receives);
      const dlqId = referencedId(redrive.deadLetterTargetArn)!;
      const alarms = Object.values(resourcesOfType(dev, 'AWS::CloudWatch::Alarm')).filter((a) =>
        JSON.stringify(propsOf(a).Dimensions ?? []).includes(dlqId),
      );
      expect(alarms).toHaveLength(1);
      // The account Lambda has the queue URL and may send; no other function may.
      expect(referencedId(envOf(dev, idOf(dev, 'account'))[env])).toBe(queueId);
      const senders = Object.values(resourcesOfType(dev, 'AWS::IAM::Policy')).filter(
        (p) =>
          JSON.stringify(p.Properties?.PolicyDocument).includes('sqs:SendMessage') &&
          JSON.stringify(p.Properties?.PolicyDocument).includes(queueId),
      );
      expect(
        senders.flatMap((p) => ((p.Properties?.Roles ?? []) as unknown[]).map((r) => referencedId(r))).sort(),
      ).toEqual([roleOf(dev, idOf(dev, 'account')), roleOf(dev, idOf(dev, 'reconciler'))].sort());
      expect(referencedId(envOf(dev, idOf(dev, 'reconciler'))[env])).toBe(queueId);
    },
  );

  it('grants the deletion worker deletes of account media only, and the export worker its folders', () => {
    const deletion = s3Grants(dev, idOf(dev, 'account-deletion'));
    expect(deletion.every((g) => g.startsWith('s3:DeleteObject '))).toBe(true);
    // removeVideoMedia's folders (every revision, original, strip, clip and range preview; avatars
    // live under media/ too), the account's own clips and images, and its exports.
    expect(deletion).toEqual(
      [
        'uploads/',
        'media/',
        'private/',
        'originals/',
        'thumbnails/',
        'studio/timeline/',
        'studio/clips/',
        'studio/previews/',
        'assets/',
        'exports/',
      ]
        .map((prefix) => `s3:DeleteObject <bucket>/${prefix}*`)
        .sort(),
    );
    // Videos go into the zip from their kept originals (older ones: their upload).
    expect(s3Grants(dev, idOf(dev, 'account-export'))).toEqual(
      expect.arrayContaining([
        's3:PutObject <bucket>/exports/*',
        's3:GetObject <bucket>/originals/*',
        's3:GetObject <bucket>/uploads/*',
      ]),
    );
    expect(s3Grants(dev, idOf(dev, 'account-export')).some((g) => g.startsWith('s3:DeleteObject'))).toBe(
      false,
    );
  });

  it('sends avatar uploads to process-upload and expires exports after the link does', () => {
    const [, bucket] = mediaBucket(dev);
    const rules = (
      propsOf(bucket).LifecycleConfiguration as {
        Rules: { Id: string; Prefix?: string; ExpirationInDays?: number }[];
      }
    ).Rules;
    expect(rules.find((r) => r.Id === 'expire-exports')).toMatchObject({
      Prefix: 'exports/',
      ExpirationInDays: 8,
    });
    const notifications = JSON.stringify(
      Object.values(resourcesOfType(dev, 'Custom::S3BucketNotifications')).map((r) => propsOf(r)),
    );
    expect(notifications).toContain('avatars/inbox/');
    expect(notifications).toContain('uploads/');
  });
});
