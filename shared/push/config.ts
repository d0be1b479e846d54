import * as z from 'zod/mini';
import { defineEnv } from '../config/env.ts';

const arn = z.string().check(
  z.regex(/^arn:[\w-]+:sns:[\w-]+:\d{12}:app\/(APNS|APNS_SANDBOX|GCM)\/[\w.-]+$/, {
    message:
      'must be an SNS platform application ARN (arn:…:sns:<region>:<account>:app/<APNS|APNS_SANDBOX|GCM>/<name>)',
  }),
);

/** The variable naming each platform's SNS platform application (set by infra/realtime.ts). */
export const PUSH_APPLICATION_ENV = {
  ios: 'PUSH_APNS_APPLICATION_ARN',
  android: 'PUSH_FCM_APPLICATION_ARN',
} as const;

/** Mobile push through SNS platform endpoints (README: Live updates and push). */
export const pushEnv = defineEnv(
  'push',
  z.object({
    /** The APNs platform application (APNS or APNS_SANDBOX). Unset: iOS devices cannot register. */
    PUSH_APNS_APPLICATION_ARN: z.optional(arn),
    /** The FCM platform application (GCM). Unset: Android devices cannot register. */
    PUSH_FCM_APPLICATION_ARN: z.optional(arn),
    /** Local SNS stand-in (npm run dev, tests). Unset in AWS → SNS. */
    SNS_ENDPOINT: z.optional(z.url()),
    AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
    /** Likes of one video within this window become one push ("12 people liked your video"). ≤ SQS's 900 s delay. */
    PUSH_LIKE_WINDOW_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(900)), 60),
  }),
);
