import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { repoPath } from '../../infra/paths.ts';
import { createLokizStack, type LokizStack } from '../../infra/stack.ts';
import type { Stage } from '../../infra/stage.ts';

/** The feature flags in cdk.json, so in-process synths match `cdk synth`. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(repoPath('cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** Builds the real stack in-process without bundling (no esbuild, about a second). */
export function synthStack(stage: Stage, context: Record<string, unknown> = {}): LokizStack {
  const app = new App({
    context: { ...cdkJsonContext(), stage, 'aws:cdk:bundling-stacks': [], ...context },
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
