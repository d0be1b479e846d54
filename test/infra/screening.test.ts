import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENERS } from '../../infra/screening.ts';
import { functionsByService, roleOf, statementsOfRole, synthTemplate } from './synth.ts';

let dev: Template;
beforeAll(() => {
  dev = synthTemplate('dev');
});

describe('image screening (Amazon Rekognition)', () => {
  it('grants DetectModerationLabels, alone and on "*" (it has no resource-level ARN), to the screeners only', () => {
    const granted: string[] = [];
    for (const [service, id] of functionsByService(dev)) {
      const name = service.replace(/^lokiz-/, '');
      const statements = statementsOfRole(dev, roleOf(dev, id)).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('rekognition:')),
      );
      if (!statements.length) continue;
      granted.push(name);
      // CDK merges it with the other "*" statement (the VPC network-interface actions).
      for (const s of statements) expect([s.Effect, s.Resource], name).toEqual(['Allow', '*']);
      const actions = statements
        .flatMap((s) => [s.Action].flat())
        .filter((a) => a.startsWith('rekognition:'));
      expect(actions, name).toEqual(['rekognition:DetectModerationLabels']);
    }
    expect(granted.sort()).toEqual([...SCREENERS].sort());
  });

  it('the screeners may read what Rekognition is asked to read (character images, poster frames)', () => {
    const reads = (name: string) => {
      const id = functionsByService(dev).get(`lokiz-${name}`)!;
      return JSON.stringify(
        statementsOfRole(dev, roleOf(dev, id)).filter((s) => [s.Action].flat().includes('s3:GetObject')),
      );
    };
    expect(reads('ai')).toContain('/assets/*');
    // An AI output's poster: media/<id>/<rev>/poster.jpg, or under private/ for a private video.
    expect(reads('process-upload')).toContain('/media/*');
    expect(reads('process-upload')).toContain('/private/*');
  });
});
