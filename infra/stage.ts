import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Everything that differs between dev and prod, in one place. */
export interface StageConfig {
  stage: Stage;
  natGateways: number;
  database: {
    instanceType: ec2.InstanceType;
    multiAz: boolean;
    backupRetention: Duration;
    deletionProtection: boolean;
    /** SNAPSHOT in prod: deleting the stack still leaves a final snapshot. */
    removalPolicy: RemovalPolicy;
  };
  /** For secrets, queues and log groups (RDS may SNAPSHOT; these cannot). */
  removalPolicy: RemovalPolicy;
  media: {
    /** RETAIN in prod: users' uploads must outlive the stack. */
    removalPolicy: RemovalPolicy;
    /** Empty the bucket on stack deletion (CloudFormation can't delete a non-empty bucket). */
    autoDeleteObjects: boolean;
  };
  logRetention: logs.RetentionDays;
  /** S3 server access logs (the media bucket's) are deleted after this long. */
  accessLogExpiration: Duration;
  /**
   * X-Ray active tracing on every Lambda (the factory applies it, so it is on or off everywhere).
   * HTTP APIs can't emit X-Ray segments, so traces start at the Lambda.
   */
  tracing: boolean;
  /** Browser origins allowed by CORS (API and media bucket); empty disables CORS (native apps don't need it). */
  corsOrigins: string[];
  /**
   * Mail (SES): the sender domain (`-c mailDomain=`), which must be verified in SES (DKIM records
   * from the stack outputs), and the app links in mail lead to (`-c appUrl=`).
   */
  mail: { domain: string; appUrl: string };
  /**
   * SNS platform applications for mobile push, created outside the stack (they hold the APNs key
   * and the FCM service account; CloudFormation has no resource for them). A platform left out
   * cannot register devices (503 push_not_configured); live updates work either way.
   */
  push: { apnsApplicationArn?: string; fcmApplicationArn?: string };
  /** Edge locations of the media CDN (infra/cdn.ts): dev the cheapest set, prod every region (Asia included). */
  cdnPriceClass: cloudfront.PriceClass;
  /**
   * Apply the reserved concurrency of FUNCTION_SIZING (`-c reservedConcurrency=true`). Off by default:
   * a new account's concurrency quota can be as low as 10, and Lambda refuses a reservation that
   * leaves fewer than 100 unreserved executions, which would fail the first deploy (README: quotas).
   */
  reservedConcurrency: boolean;
}

const PLATFORM_APPLICATION_ARN = /^arn:[\w-]+:sns:[\w-]+:\d{12}:app\/(APNS|APNS_SANDBOX|GCM)\/[\w.-]+$/;

/** `-c apnsPlatformApplicationArn=arn:aws:sns:…:app/APNS/lokiz` (and `fcmPlatformApplicationArn`). */
function parsePlatformArn(value: unknown, name: string, platforms: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  const match = typeof value === 'string' ? PLATFORM_APPLICATION_ARN.exec(value) : null;
  if (!match || !platforms.includes(match[1]!)) {
    throw new Error(`-c ${name} must be an SNS platform application ARN of type ${platforms.join(' or ')}`);
  }
  return value as string;
}

export function parseStage(value: unknown): Stage {
  const stage = value ?? 'dev';
  if (!STAGES.includes(stage as Stage)) {
    throw new Error(`Unknown stage "${String(stage)}": use -c stage=${STAGES.join('|')}`);
  }
  return stage as Stage;
}

/** `-c corsOrigins=https://a.example,https://b.example` overrides the stage default. */
function parseOrigins(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  return value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** Placeholder sender domain so `cdk synth` works offline; deploy with `-c mailDomain=<yours>`. */
export const DEFAULT_MAIL_DOMAIN = 'mail.lokiz.example';

function parseDomain(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  if (!/^(?=.{3,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/i.test(value))
    throw new Error(`Not a domain name: -c mailDomain=${value}`);
  return value.toLowerCase();
}

/** A boolean context value: `-c name=true` arrives as the string "true". */
function parseFlag(value: unknown): boolean {
  return value === true || value === 'true';
}

export function stageConfig(
  stage: Stage,
  context: {
    corsOrigins?: unknown;
    reservedConcurrency?: unknown;
    mailDomain?: unknown;
    appUrl?: unknown;
    apnsPlatformApplicationArn?: unknown;
    fcmPlatformApplicationArn?: unknown;
  } = {},
): StageConfig {
  const mailDomain = parseDomain(context.mailDomain) ?? DEFAULT_MAIL_DOMAIN;
  const prod = stage === 'prod';
  return {
    stage,
    // One NAT keeps dev cheap; prod gets one per AZ so an AZ outage doesn't cut egress.
    natGateways: prod ? 2 : 1,
    database: {
      instanceType: prod
        ? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM)
        : ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      multiAz: prod,
      backupRetention: Duration.days(prod ? 14 : 1),
      deletionProtection: prod,
      removalPolicy: prod ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    },
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    media: {
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !prod,
    },
    logRetention: prod ? logs.RetentionDays.THREE_MONTHS : logs.RetentionDays.ONE_MONTH,
    accessLogExpiration: Duration.days(prod ? 365 : 30),
    tracing: true,
    corsOrigins: parseOrigins(context.corsOrigins) ?? (prod ? [] : ['*']),
    mail: {
      domain: mailDomain,
      appUrl:
        typeof context.appUrl === 'string' && context.appUrl
          ? new URL(context.appUrl).toString()
          : `https://${mailDomain}/`,
    },
    push: {
      apnsApplicationArn: parsePlatformArn(context.apnsPlatformApplicationArn, 'apnsPlatformApplicationArn', [
        'APNS',
        'APNS_SANDBOX',
      ]),
      fcmApplicationArn: parsePlatformArn(context.fcmPlatformApplicationArn, 'fcmPlatformApplicationArn', [
        'GCM',
      ]),
    },
    cdnPriceClass: prod ? cloudfront.PriceClass.PRICE_CLASS_ALL : cloudfront.PriceClass.PRICE_CLASS_100,
    reservedConcurrency: parseFlag(context.reservedConcurrency),
  };
}
