import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { repoPath } from '../../infra/paths.ts';
import { createLokizStack, type LokizStack } from '../../infra/stack.ts';
import type { Stage } from '../../infra/stage.ts';

// CDK's own CloudFormation schema validation costs ~7 s per test process and checks CDK, not
// us; `npm run synth` still runs it. (Validation plugins such as cdk-nag run either way.)
process.env.CDK_VALIDATION ??= 'false';

/** The feature flags in cdk.json, so in-process synths match `cdk synth`. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(repoPath('cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

// Without an outdir every App writes its cloud assembly to a new cdk.out* temp folder that nobody
// removes; these go under one folder per test file, removed when the file is done.
const outRoot = mkdtempSync(join(tmpdir(), 'lokiz-cdk-test-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));
let apps = 0;

export function testApp(props: AppProps = {}): App {
  return new App({ outdir: join(outRoot, String(apps++)), ...props });
}

/** The main stack's region in tests: not us-east-1, where the web ACL stack lives. */
export const TEST_REGION = 'eu-west-1';

/** Builds the real stacks in-process without bundling (no esbuild, about a second); returns the main one. */
export function synthStack(stage: Stage, context: Record<string, unknown> = {}): LokizStack {
  const app = testApp({
    context: { ...cdkJsonContext(), stage, region: TEST_REGION, 'aws:cdk:bundling-stacks': [], ...context },
  });
  return createLokizStack(app);
}

const cache = new Map<Stage, Template>();

/** The stage's CloudFormation template, synthesised once per test process. */
export function synthTemplate(stage: Stage): Template {
  let template = cache.get(stage);
  if (!template) {
    template = Template.fromStack(synthStack(stage));
    cache.set(stage, template);
  }
  return template;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** Logical id → resource, for assertions that follow references between resources. */
export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** A resource's Properties; throws (failing the test) when the resource or its properties are missing. */
export function propsOf(resource: CfnResource | undefined, what = 'resource'): Record<string, unknown> {
  if (!resource?.Properties) throw new Error(`${what} not found in the template`);
  return resource.Properties;
}

/** The logical id a `{Ref}` or `{Fn::GetAtt}` points at. */
export function referencedId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    if ('Ref' in value) return String(value.Ref);
    if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) return String(value['Fn::GetAtt'][0]);
  }
  return undefined;
}

/** Lambda logical ids keyed by their POWERTOOLS_SERVICE_NAME (`lokiz-auth`, `lokiz-migrate`, …). */
export function functionsByService(template: Template): Map<string, string> {
  const byService = new Map<string, string>();
  for (const [id, fn] of Object.entries(resourcesOfType(template, 'AWS::Lambda::Function'))) {
    const env = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    const service = env?.POWERTOOLS_SERVICE_NAME;
    if (typeof service === 'string') byService.set(service, id);
  }
  return byService;
}

/** The one resource of a type (fails the test when there are none or several). */
export function onlyResource(template: Template, type: string): [string, CfnResource] {
  const entries = Object.entries(resourcesOfType(template, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return entries[0]!;
}

/** The one resource of `type` whose logical id starts with `idPrefix` (its construct path). */
export function resourceByIdPrefix(
  template: Template,
  type: string,
  idPrefix: string,
): [string, CfnResource] {
  const entries = Object.entries(resourcesOfType(template, type)).filter(([id]) => id.startsWith(idPrefix));
  if (entries.length !== 1)
    throw new Error(`expected one ${type} named ${idPrefix}…, found ${entries.length}`);
  return entries[0]!;
}

/** The main stack's two CloudFront distributions: the media CDN (infra/cdn.ts) and the API's (infra/edge.ts). */
export const mediaDistribution = (template: Template) =>
  resourceByIdPrefix(template, 'AWS::CloudFront::Distribution', 'MediaCdnDistribution');
export const apiDistribution = (template: Template) =>
  resourceByIdPrefix(template, 'AWS::CloudFront::Distribution', 'EdgeDistribution');

/** A Lambda's environment variables. */
export function envOf(template: Template, functionId: string): Record<string, unknown> {
  const props = propsOf(resourcesOfType(template, 'AWS::Lambda::Function')[functionId], functionId);
  return (props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy resource (IAM, bucket, queue or topic policy). */
export function statementsOf(policy: CfnResource | undefined): Statement[] {
  return (propsOf(policy, 'policy').PolicyDocument as { Statement: Statement[] }).Statement;
}

/** Logical id of the IAM role a Lambda runs as. */
export function roleOf(template: Template, functionId: string): string {
  const props = propsOf(resourcesOfType(template, 'AWS::Lambda::Function')[functionId], functionId);
  return referencedId(props.Role)!;
}

/** Every statement of the identity policies of a role: its inline policies and attached AWS::IAM::Policy resources. */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  const statements: Statement[] = [];
  const role = resourcesOfType(template, 'AWS::IAM::Role')[roleId];
  for (const inline of (role?.Properties?.Policies ?? []) as {
    PolicyDocument: { Statement: Statement[] };
  }[]) {
    statements.push(...inline.PolicyDocument.Statement);
  }
  for (const policy of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
    const roles = (policy.Properties?.Roles ?? []) as unknown[];
    if (!roles.some((r) => referencedId(r) === roleId)) continue;
    statements.push(...statementsOf(policy));
  }
  return statements;
}

/** The event source mapping of a function (exactly one), and the logical id of the queue it reads. */
export function queueSourceOf(
  template: Template,
  functionId: string,
): { mapping: Record<string, unknown>; queueId: string } {
  const mappings = Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping'))
    .map((m) => propsOf(m, 'event source mapping'))
    .filter((p) => referencedId(p.FunctionName) === functionId);
  if (mappings.length !== 1)
    throw new Error(`expected one event source for ${functionId}, found ${mappings.length}`);
  const mapping = mappings[0]!;
  return { mapping, queueId: referencedId(mapping.EventSourceArn)! };
}

/** A work queue, its redrive policy and its dead-letter queue. */
export function queueWithDlq(template: Template, queueId: string) {
  const queues = resourcesOfType(template, 'AWS::SQS::Queue');
  const queue = queues[queueId]!;
  const redrive = propsOf(queue, queueId).RedrivePolicy as {
    deadLetterTargetArn: unknown;
    maxReceiveCount: number;
  };
  const dlqId = referencedId(redrive.deadLetterTargetArn)!;
  return { queueId, queue, redrive, dlqId, dlq: queues[dlqId]! };
}

/** Every SQS action of a function's role, as `action <logical id of the queue>`. */
export function sqsGrants(template: Template, functionId: string): string[] {
  const grants: string[] = [];
  for (const s of statementsOfRole(template, roleOf(template, functionId))) {
    for (const action of [s.Action].flat().filter((a) => a === '*' || a.startsWith('sqs:'))) {
      for (const resource of [s.Resource].flat())
        grants.push(`${action} ${referencedId(resource) ?? resource}`);
    }
  }
  return grants.sort();
}

/** Service names (`lokiz-…`, or `role:<id>` for roles of no LOKIZ function) whose policies allow an action on a resource. */
export function principalsAllowed(template: Template, action: string, resourceId: string): string[] {
  const serviceByRole = new Map<string, string>();
  for (const [service, id] of functionsByService(template)) serviceByRole.set(roleOf(template, id), service);
  const principals = new Set<string>();
  for (const policy of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
    const statements = statementsOf(policy);
    const allows = statements.some(
      (s) =>
        s.Effect === 'Allow' &&
        [s.Action].flat().some((a) => a === action || a === '*' || a === `${action.split(':')[0]}:*`) &&
        [s.Resource].flat().some((r) => r === '*' || referencedId(r) === resourceId),
    );
    if (!allows) continue;
    for (const role of (policy.Properties?.Roles ?? []) as unknown[]) {
      const roleId = referencedId(role)!;
      principals.add(serviceByRole.get(roleId) ?? `role:${roleId}`);
    }
  }
  return [...principals].sort();
}

/** The media bucket: the one the MediaBucketName output names (the other holds its access logs). */
export function mediaBucket(template: Template): [string, CfnResource] {
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
  const id = referencedId(outputs.MediaBucketName?.Value);
  const bucket = id ? resourcesOfType(template, 'AWS::S3::Bucket')[id] : undefined;
  if (!id || !bucket) throw new Error('media bucket not found (MediaBucketName output)');
  return [id, bucket];
}
const mediaBucketId = (template: Template) => mediaBucket(template)[0];

/** The bucket policy attached to a bucket. */
export function bucketPolicyOf(template: Template, bucketId: string): CfnResource {
  const policies = Object.values(resourcesOfType(template, 'AWS::S3::BucketPolicy')).filter(
    (p) => referencedId(p.Properties?.Bucket) === bucketId,
  );
  if (policies.length !== 1) throw new Error(`expected one policy for ${bucketId}, found ${policies.length}`);
  return policies[0]!;
}

/** `<bucket>`, `<bucket>/uploads/*`, … for ARNs built from the media bucket; JSON otherwise. */
function describeResource(template: Template, resource: unknown): string {
  const bucket = mediaBucketId(template);
  if (referencedId(resource) === bucket) return '<bucket>';
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join && join[1].length === 2 && referencedId(join[1][0]) === bucket) return `<bucket>${join[1][1]}`;
  return JSON.stringify(resource);
}

/**
 * Every `action resource` pair that mentions S3 in the identity policies of a function's role,
 * sorted; a condition is appended as ` if <json>` (`s3:ListBucket <bucket> if {…}`).
 */
export function s3Grants(template: Template, functionId: string): string[] {
  const grants: string[] = [];
  for (const statement of statementsOfRole(template, roleOf(template, functionId))) {
    const actions = [statement.Action].flat().filter((a) => a === '*' || a.startsWith('s3:'));
    if (!actions.length) continue;
    if (statement.Effect !== 'Allow') throw new Error(`unexpected ${statement.Effect} statement`);
    const condition = statement.Condition ? ` if ${JSON.stringify(statement.Condition)}` : '';
    for (const action of actions) {
      for (const resource of [statement.Resource].flat()) {
        grants.push(`${action} ${describeResource(template, resource)}${condition}`);
      }
    }
  }
  return grants.sort();
}

/** The HTTP API's logical id (the stack also has the WebSocket API: infra/realtime.ts). */
export function apiIdOf(template: Template, protocol: 'HTTP' | 'WEBSOCKET'): string {
  const apis = Object.entries(resourcesOfType(template, 'AWS::ApiGatewayV2::Api')).filter(
    ([, api]) => api.Properties?.ProtocolType === protocol,
  );
  if (apis.length !== 1) throw new Error(`expected one ${protocol} API, found ${apis.length}`);
  return apis[0]![0];
}

/** Resources of an API Gateway v2 type (routes, integrations, stages) that belong to one API. */
export function resourcesOfApi(template: Template, type: string, apiId: string): Record<string, CfnResource> {
  return Object.fromEntries(
    Object.entries(resourcesOfType(template, type)).filter(
      ([, r]) => referencedId(r.Properties?.ApiId) === apiId,
    ),
  );
}
