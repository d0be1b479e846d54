import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ASSETS_PREFIX,
  AVATAR_INBOX_PREFIX,
  AVATARS_PREFIX,
  EXPORTS_PREFIX,
  STUDIO_CLIPS_PREFIX,
  STUDIO_TIMELINE_PREFIX,
  THUMBNAILS_PREFIX,
  UPLOADS_PREFIX,
} from '../shared/storage/keys.ts';
import type { FunctionName } from './function-sizing.ts';

/** Key prefixes (`uploads/`, …) a function may read (GET/HEAD, presigned GETs), put, delete or list. */
export interface StorageAccess {
  read?: readonly string[];
  put?: readonly string[];
  delete?: readonly string[];
  /**
   * s3:ListBucket, limited to keys under these prefixes. Without it S3 answers a missing key
   * with 403 instead of 404, so every "is it there yet?" check (HeadObject, a GetObject that
   * expects NoSuchKey) needs it for the prefixes it probes.
   */
  list?: readonly string[];
}

/** What a listed video shows: the video itself, its poster frame and its owner's avatar. */
const VIDEO_MEDIA = [UPLOADS_PREFIX, THUMBNAILS_PREFIX] as const;
const LISTED_MEDIA = [...VIDEO_MEDIA, AVATARS_PREFIX] as const;
/** Every folder an account's objects live in (the deletion worker removes them). */
const ACCOUNT_MEDIA = [
  UPLOADS_PREFIX,
  THUMBNAILS_PREFIX,
  ASSETS_PREFIX,
  STUDIO_TIMELINE_PREFIX,
  STUDIO_CLIPS_PREFIX,
  AVATARS_PREFIX,
  EXPORTS_PREFIX,
] as const;
const STUDIO_MEDIA = [STUDIO_TIMELINE_PREFIX, STUDIO_CLIPS_PREFIX] as const;

/**
 * Which Lambdas touch the media bucket, and where: one line per function, derived from the S3
 * calls its code makes. Presigned URLs act with the signer's permissions, so signing a GET
 * needs `read` on that prefix. Domains without routes have no Lambda, so their lines wait.
 * Avatars (`avatars/`) are signed wherever a person's card or profile is shown.
 */
export const STORAGE_ACCESS: Partial<Record<FunctionName, StorageAccess>> = {
  videos: {
    put: [UPLOADS_PREFIX],
    read: LISTED_MEDIA,
    delete: VIDEO_MEDIA,
  },
  // Lists of videos (toVideoViews signs both keys of every video) and profiles.
  users: { read: LISTED_MEDIA },
  glitch: { read: LISTED_MEDIA },
  search: { read: LISTED_MEDIA },
  hashtags: { read: LISTED_MEDIA },
  // A notification shows its video's thumbnail and its actor's avatar.
  notifications: { read: [THUMBNAILS_PREFIX, AVATARS_PREFIX] },
  // Author and follower cards show avatars; /v1/auth/me the account's own.
  comments: { read: [AVATARS_PREFIX] },
  follows: { read: [AVATARS_PREFIX] },
  auth: { read: [AVATARS_PREFIX] },
  account: {
    // Presigned avatar uploads into the inbox; the profile's avatar; export downloads.
    put: [AVATAR_INBOX_PREFIX],
    read: [AVATARS_PREFIX, EXPORTS_PREFIX],
  },
  // (likes sign no media keys.) The block list shows avatars.
  safety: { read: [AVATARS_PREFIX] },
  // Review URLs of any video; a final takedown (purge_media) deletes what removeVideoMedia deletes.
  moderation: {
    read: LISTED_MEDIA,
    delete: [UPLOADS_PREFIX, THUMBNAILS_PREFIX, ...STUDIO_MEDIA],
  },
  ai: {
    // capture-frame reads the source video and stores the frame; character images are PUT
    // through presigned URLs; job views sign the music's URL.
    read: [UPLOADS_PREFIX, ASSETS_PREFIX],
    put: [ASSETS_PREFIX],
    // usableImage HEADs a character image that may not have been uploaded yet.
    list: [ASSETS_PREFIX],
  },
  studio: {
    // The source video (downloaded for ffmpeg, signed for the preview); strips and clips.
    read: [UPLOADS_PREFIX, ...STUDIO_MEDIA],
    put: STUDIO_MEDIA,
    // A strip's manifest is read to learn whether the strip exists.
    list: [STUDIO_TIMELINE_PREFIX],
  },
  // Copies model outputs in: AI videos under uploads/, music under assets/, each HEADed first.
  webhooks: {
    read: [UPLOADS_PREFIX, ASSETS_PREFIX],
    put: [UPLOADS_PREFIX, ASSETS_PREFIX],
    list: [UPLOADS_PREFIX, ASSETS_PREFIX],
  },

  'process-upload': {
    // GetObject also covers HeadObject; a rejected upload is deleted; a deleted one is a 404.
    // Avatars: the inbox upload is read and deleted; the squares written; the old ones deleted.
    // thumbnails/: Rekognition reads an AI output's poster frame with this role (screening).
    read: [UPLOADS_PREFIX, AVATAR_INBOX_PREFIX, THUMBNAILS_PREFIX],
    delete: [UPLOADS_PREFIX, AVATARS_PREFIX],
    put: [THUMBNAILS_PREFIX, AVATARS_PREFIX],
    list: [UPLOADS_PREFIX, AVATAR_INBOX_PREFIX],
  },
  // Removes every object of a deleted account (DeleteObjects of known keys: no listing).
  'account-deletion': { delete: ACCOUNT_MEDIA },
  // Copies the account's media into the zip (HEADs images that may never have arrived).
  'account-export': {
    read: [UPLOADS_PREFIX, ASSETS_PREFIX],
    put: [EXPORTS_PREFIX],
    list: [ASSETS_PREFIX],
  },
  // Signs the inputs it gives Replicate: a studio clip and a character image or frame.
  'ai-dispatcher': { read: [STUDIO_CLIPS_PREFIX, ASSETS_PREFIX] },
  // Copies outputs the webhook missed, exactly as the webhook does.
  reconciler: {
    read: [UPLOADS_PREFIX, ASSETS_PREFIX],
    put: [UPLOADS_PREFIX, ASSETS_PREFIX],
    list: [UPLOADS_PREFIX, ASSETS_PREFIX],
  },
};

// Object-level actions only: the bucket-wide extras of bucket.grantRead/grantPut/grantDelete
// (s3:List*, s3:GetBucket*, s3:PutObjectRetention, …) are more than any of our handlers use.
const OBJECT_ACTIONS: Record<Exclude<keyof StorageAccess, 'list'>, string> = {
  read: 's3:GetObject',
  put: 's3:PutObject',
  delete: 's3:DeleteObject',
};

/** `uploads*` would also match `uploads-private/…`: grant whole folders only. */
function assertFolders(prefixes: readonly string[]): void {
  const notFolder = prefixes.find((prefix) => !prefix.endsWith('/'));
  if (notFolder !== undefined) throw new Error(`Storage prefix "${notFolder}" must end with "/"`);
}

/**
 * cdk-nag reports every `<bucket>/<prefix>*` object ARN as a wildcard (AwsSolutions-IAM5); those
 * wildcards are the prefix scoping itself, so each is acknowledged on the role that has it.
 */
function acknowledgePrefixWildcards(fn: lambda.Function, bucket: s3.IBucket, prefixes: Set<string>): void {
  const cfnBucket = bucket.node.defaultChild as CfnElement | undefined;
  if (!fn.role || !cfnBucket || prefixes.size === 0) return;
  const bucketLogicalId = Stack.of(bucket).getLogicalId(cfnBucket);
  for (const prefix of prefixes) {
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${prefix}*]`,
      reason: `Object actions limited to the "${prefix}" folder of the media bucket (STORAGE_ACCESS)`,
    });
  }
}

/** Sets MEDIA_BUCKET and grants exactly the listed actions, each scoped to its prefixes. */
export function grantMediaAccess(fn: lambda.Function, bucket: s3.IBucket, access: StorageAccess): void {
  fn.addEnvironment('MEDIA_BUCKET', bucket.bucketName);
  const objectPrefixes = new Set<string>();
  for (const kind of Object.keys(OBJECT_ACTIONS) as (keyof typeof OBJECT_ACTIONS)[]) {
    const prefixes = access[kind] ?? [];
    if (!prefixes.length) continue;
    assertFolders(prefixes);
    for (const prefix of prefixes) objectPrefixes.add(prefix);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [OBJECT_ACTIONS[kind]],
        resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
    );
  }
  acknowledgePrefixWildcards(fn, bucket, objectPrefixes);
  const listed = access.list ?? [];
  if (listed.length) {
    assertFolders(listed);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        // For a GET/HEAD of a missing key, S3 evaluates ListBucket with the key as s3:prefix.
        conditions: { StringLike: { 's3:prefix': listed.map((prefix) => `${prefix}*`) } },
      }),
    );
  }
}

/** Applies STORAGE_ACCESS to the Lambdas that exist (domains without routes have none yet). */
export function grantStorageAccess(
  functions: ReadonlyMap<FunctionName, lambda.Function>,
  bucket: s3.IBucket,
  table: Partial<Record<FunctionName, StorageAccess>> = STORAGE_ACCESS,
): void {
  for (const [name, fn] of functions) {
    const access = table[name];
    if (access) grantMediaAccess(fn, bucket, access);
  }
}
