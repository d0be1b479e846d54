import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { FunctionName } from './function-sizing.ts';

/**
 * The Lambdas that screen images with Amazon Rekognition (shared/screening/): the ai domain
 * (character images and frames, before any credit) and process-upload (AI outputs' poster
 * frames). Rekognition reads the image from the media bucket with the caller's s3:GetObject, which
 * STORAGE_ACCESS grants on assets/ and on the
 * served media prefixes (an AI output's poster).
 */
export const SCREENERS: readonly FunctionName[] = ['ai', 'process-upload'];
export const SCREENING_ACTIONS = ['rekognition:DetectModerationLabels'] as const;

export function grantScreening(functions: ReadonlyMap<FunctionName, lambda.Function>): void {
  for (const name of SCREENERS) {
    const fn = functions.get(name);
    if (!fn?.role) continue;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...SCREENING_ACTIONS], resources: ['*'] }));
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'rekognition:DetectModerationLabels has no resource-level permissions (the service authorization ' +
        'reference lists no resource type for it), so its Resource must be "*"; it is the only Rekognition ' +
        'action granted, to the screening Lambdas only (infra/screening.ts SCREENERS). Also the VPC ENI and ' +
        'X-Ray actions, which support no resource-level permissions either.',
    });
  }
}
