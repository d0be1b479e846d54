import { createHash } from 'node:crypto';
import type { InvalidField, StandInModel } from '../types.ts';
import { music15 } from './music.ts';
import { veo3Fast } from './veo.ts';
import { wanAnimateAnimation, wanAnimateReplace } from './wan.ts';

export const STANDIN_MODELS: readonly StandInModel[] = [
  wanAnimateAnimation,
  wanAnimateReplace,
  veo3Fast,
  music15,
];

/** A made-up, stable version id per model (64 hex chars, like Replicate's), for `POST /v1/predictions`. */
export function standInVersionId(model: string): string {
  return createHash('sha256').update(`offline-replicate-standin:${model}`).digest('hex');
}

const byName = new Map(STANDIN_MODELS.map((m) => [m.name, m]));
const byVersion = new Map(STANDIN_MODELS.map((m) => [standInVersionId(m.name), m]));

export function findModel(name: string): StandInModel | undefined {
  return byName.get(name);
}

export function findModelByVersion(version: string): StandInModel | undefined {
  // Replicate also accepts `owner/name:version`.
  return byVersion.get(version.includes(':') ? version.slice(version.lastIndexOf(':') + 1) : version);
}

function isUri(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:', 'data:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function hasType(value: unknown, type: StandInModel['types'][string]): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === type;
}

/** Checks `input` against the parts of the schema the stand-in knows, in Replicate's 422 style. */
export function validateInput(model: StandInModel, input: unknown): InvalidField[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ type: 'invalid_type', field: 'input', description: 'Invalid type. Expected: object' }];
  }
  const record = input as Record<string, unknown>;
  const problems: InvalidField[] = [];
  for (const name of model.required) {
    if (record[name] === undefined || record[name] === null || record[name] === '') {
      problems.push({ type: 'required', field: 'input', description: `${name} is required` });
    }
  }
  for (const name of model.uriInputs) {
    if (record[name] !== undefined && record[name] !== null && !isUri(record[name])) {
      problems.push({ type: 'format', field: `input.${name}`, description: "Does not match format 'uri'" });
    }
  }
  for (const [name, type] of Object.entries(model.types)) {
    const value = record[name];
    if (value !== undefined && value !== null && !hasType(value, type)) {
      problems.push({
        type: 'invalid_type',
        field: `input.${name}`,
        description: `Invalid type. Expected: ${type}, given: ${Array.isArray(value) ? 'array' : typeof value}`,
      });
    }
  }
  return problems;
}
