import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { addNagChecks } from '../../infra/nag.ts';
import { repoPath } from '../../infra/paths.ts';
import { STAGES, type Stage } from '../../infra/stage.ts';
import { synthStack, testApp } from './synth.ts';

/** Unacknowledged findings, one line each (`AwsSolutions-S1 LokizStack/…`), for readable failures. */
function findings(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName} ${r.constructPath}: ${v.description}`),
  );
}

/** Every cdk-nag acknowledgement in the tree: construct path, rule id, reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const all: { path: string; id: string; reason: string }[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        const ruleId = id.replace(/^annotation::/i, '');
        // (CDK acknowledges some of its own CloudFormation-Validate warnings.)
        if (ruleId.startsWith('AwsSolutions-'))
          all.push({ path: construct.node.path, id: ruleId, reason: String(reason) });
      }
    }
  }
  return all;
}

/**
 * Runs a synth without CDK's own CloudFormation schema validation (seconds to load, and not what
 * these tests are about); validation plugins such as cdk-nag still run.
 */
function withoutSchemaValidation(synth: () => void): void {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    synth();
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
  }
}

describe.each(STAGES)('cdk-nag AwsSolutions (%s)', (stage: Stage) => {
  const stack = synthStack(stage);
  const app = stack.node.root as App;

  it('has no unacknowledged finding', () => {
    expect(findings(app)).toEqual([]);
  });

  it('synthesises with the checks as a validation plugin, as infra/app.ts runs them', () => {
    addNagChecks(app);
    withoutSchemaValidation(() => expect(() => app.synth({ force: true })).not.toThrow());
  });

  it('gives every acknowledgement a reason, on the construct it excuses (never the stack)', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(40);
      expect(ack.path, ack.id).not.toBe(stack.node.path);
    }
  });

  it('excuses no rotation (SMG4) only for secrets that cannot rotate alone: the database secrets rotate', () => {
    const smg4 = acknowledgements(app).filter((a) => a.id === 'AwsSolutions-SMG4');
    expect(smg4.map((a) => a.path).sort()).toEqual(
      [
        // CloudFront's origin header value: it changes with a deploy (infra/edge.ts).
        `${stack.node.path}/Edge/OriginSecret`,
        ...['JwtSecret', 'ReplicateApiToken', 'ReplicateWebhookSecret'].map(
          (s) => `${stack.node.path}/Secrets/${s}`,
        ),
      ].sort(),
    );
  });

  it('acknowledges wildcards only for prefix-scoped S3 objects, the actions that take no ARN, and the WebSocket API’s connections', () => {
    const iam5 = acknowledgements(app).filter((a) => a.id.startsWith('AwsSolutions-IAM5'));
    for (const ack of iam5) {
      expect(ack.id, ack.path).toMatch(
        /^AwsSolutions-IAM5\[Resource::(\*|<StorageMediaBucket[0-9A-F]+\.Arn>\/[a-z/]+\/\*|arn:(<AWS::Partition>:execute-api:<AWS::Region>|aws:execute-api:[a-z0-9-]+):<AWS::AccountId>:<RealtimeWebSocketApi[0-9A-F]+>\/live\/\*\/@connections\/\*)\]$/,
      );
    }
  });
});

describe('cdk-nag wiring', () => {
  it('fails the synth on an unacknowledged finding', () => {
    const app = testApp();
    new sqs.Queue(new Stack(app, 'Bad'), 'Queue');
    addNagChecks(app);
    withoutSchemaValidation(() => expect(() => app.synth()).toThrow(/AwsSolutions|validation/i));
  });

  it.concurrent.each(STAGES)(
    'runs in infra/app.ts: a CLI-style synth of %s passes',
    async (stage) => {
      const cdkJson = JSON.parse(readFileSync(repoPath('cdk.json'), 'utf8')) as {
        context: Record<string, unknown>;
      };
      const outdir = mkdtempSync(join(tmpdir(), `lokiz-nag-${stage}-`));
      try {
        // What `cdk synth -c stage=…` does: run the app with context and an output directory
        // (so the App synthesises on exit), minus bundling and CDK's own schema validation.
        await promisify(execFile)(process.execPath, ['--import', 'tsx', repoPath('infra/app.ts')], {
          cwd: repoPath(),
          env: {
            ...process.env,
            CDK_OUTDIR: outdir,
            CDK_VALIDATION: 'false',
            CDK_CONTEXT_JSON: JSON.stringify({
              ...cdkJson.context,
              stage,
              region: 'ap-northeast-2',
              'aws:cdk:bundling-stacks': [],
            }),
          },
        });
        const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
          artifacts: Record<string, unknown>;
        };
        expect(Object.keys(manifest.artifacts)).toEqual(
          expect.arrayContaining(['LokizStack', 'LokizEdgeStack']),
        );
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
