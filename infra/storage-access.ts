import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ASSETS_PREFIX,
  AVATAR_INBOX_PREFIX,
  EXPORTS_PREFIX,
  MEDIA_PREFIX,
  ORIGINALS_PREFIX,
  PRIVATE_MEDIA_PREFIX,
  STUDIO_CLIPS_PREFIX,
  STUDIO_PREVIEWS_PREFIX,
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
   * expects NoSuchKey) gets it for the prefixes it probes. The code does not rest on it alone:
   * isMissingObjectError (shared/storage/s3.ts) takes a 403 under our own prefixes as missing.
   */
  list?: readonly string[];
}

/**
 * What signing a listed video's URLs needs: private videos' media, and for videos from before media
 * revisions their upload and thumbnail keys. Public media (media/, avatars included) are CDN URLs:
 * no grant at all.
 */
const SIGNED_VIDEO_MEDIA = [PRIVATE_MEDIA_PREFIX, UPLOADS_PREFIX, THUMBNAILS_PREFIX] as const;
/** A video's served media, public or private (avatars live under media/ too). */
const SERVED_MEDIA = [MEDIA_PREFIX, PRIVATE_MEDIA_PREFIX] as const;
const STUDIO_MEDIA = [STUDIO_TIMELINE_PREFIX, STUDIO_CLIPS_PREFIX, STUDIO_PREVIEWS_PREFIX] as const;
/** Where ffmpeg in the API reads a video from: its rendition (or, before revisions, its upload). */
const RENDITIONS = [...SERVED_MEDIA, UPLOADS_PREFIX] as const;

/**
 * Which Lambdas touch the media bucket, and where: one line per function, derived from the S3
 * calls its code makes. Presigned URLs act with the signer's permissions, so signing a GET
 * needs `read` on that prefix. Domains without routes have no Lambda, so their lines wait.
 * Avatars are public media under media/avatars/ (CDN URLs): showing one needs no grant.
 */
export const STORAGE_ACCESS: Partial<Record<FunctionName, StorageAccess>> = {
  videos: {
    put: [UPLOADS_PREFIX, ...SERVED_MEDIA],
    // Signing private media; a visibility change copies a revision (GET + HEAD of the source).
    read: [...SERVED_MEDIA, UPLOADS_PREFIX, THUMBNAILS_PREFIX],
    // removeVideoMedia: every object a deleted video had.
    delete: [UPLOADS_PREFIX, ...SERVED_MEDIA, ORIGINALS_PREFIX, THUMBNAILS_PREFIX, ...STUDIO_MEDIA],
  },
  // Lists of videos (toVideoViews signs the keys of private and older videos).
  users: { read: SIGNED_VIDEO_MEDIA },
  glitch: { read: SIGNED_VIDEO_MEDIA },
  search: { read: SIGNED_VIDEO_MEDIA },
  hashtags: { read: SIGNED_VIDEO_MEDIA },
  // A notification shows its video's poster only (signed for the recipient's own private video).
  notifications: { read: [PRIVATE_MEDIA_PREFIX, THUMBNAILS_PREFIX] },
  account: {
    // Presigned avatar uploads into the inbox; export downloads.
    put: [AVATAR_INBOX_PREFIX],
    read: [EXPORTS_PREFIX],
  },
  // (likes, comments, follows and auth sign no media keys: avatars are CDN URLs; so is the block list.)
  // Review URLs of any video (signed, whatever the prefix); a takedown moves public media to the
  // private prefix and back (copy = GET + PUT, then the old revision deleted), and a final takedown
  // (purge_media) deletes what removeVideoMedia deletes.
  moderation: {
    read: [...SERVED_MEDIA, UPLOADS_PREFIX, THUMBNAILS_PREFIX],
    put: [...SERVED_MEDIA],
    delete: [UPLOADS_PREFIX, ...SERVED_MEDIA, ORIGINALS_PREFIX, THUMBNAILS_PREFIX, ...STUDIO_MEDIA],
  },
  ai: {
    // capture-frame reads the rendition and stores the frame; character images are PUT
    // through presigned URLs; job views sign the music's URL.
    read: [...RENDITIONS, ASSETS_PREFIX],
    put: [ASSETS_PREFIX],
    // usableImage HEADs a character image that may not have been uploaded yet.
    list: [ASSETS_PREFIX],
  },
  studio: {
    // The rendition (downloaded for ffmpeg); strips, clips and range previews (signed); the music put
    // on a video (downloaded to read its duration).
    read: [...RENDITIONS, ...STUDIO_MEDIA, ASSETS_PREFIX],
    put: STUDIO_MEDIA,
    // A strip's manifest is read to learn whether the strip exists.
    list: [STUDIO_TIMELINE_PREFIX],
  },
  // (webhooks touches no media: it records the result and enqueues the copy.)

  'process-upload': {
    // GetObject also covers HeadObject; a processed or rejected upload is deleted; a deleted one is a 404.
    // Avatars: the inbox upload is read and deleted, the squares written under media/avatars/.
    // Served media: Rekognition reads an AI output's poster (this run's revision) with this role.
    read: [UPLOADS_PREFIX, AVATAR_INBOX_PREFIX, ...SERVED_MEDIA],
    // The rendition, poster and preview of a revision, and the original; a run that lost a race
    // deletes what it wrote; a replaced avatar's squares are deleted.
    put: [...SERVED_MEDIA, ORIGINALS_PREFIX],
    delete: [UPLOADS_PREFIX, AVATAR_INBOX_PREFIX, ...SERVED_MEDIA, ORIGINALS_PREFIX],
    list: [UPLOADS_PREFIX, AVATAR_INBOX_PREFIX],
  },
  // Removes every object of a deleted account (DeleteObjects of known keys: no listing):
  // removeVideoMedia's keys for each video, the account's own studio clips, assets, avatar, exports.
  'account-deletion': {
    delete: [
      UPLOADS_PREFIX,
      ...SERVED_MEDIA,
      ORIGINALS_PREFIX,
      THUMBNAILS_PREFIX,
      ...STUDIO_MEDIA,
      ASSETS_PREFIX,
      EXPORTS_PREFIX,
    ],
  },
  // Copies the account's media into the zip: kept originals (older videos: their upload) and
  // images, HEADing images that may never have arrived.
  'account-export': {
    read: [ORIGINALS_PREFIX, UPLOADS_PREFIX, ASSETS_PREFIX],
    put: [EXPORTS_PREFIX],
    list: [ASSETS_PREFIX],
  },
  // Signs the inputs it gives Replicate: a studio clip and a character image or frame.
  'ai-dispatcher': { read: [STUDIO_CLIPS_PREFIX, ASSETS_PREFIX] },
  // Copies model outputs in: AI videos under uploads/, music under assets/, each HEADed first.
  'output-copier': {
    read: [UPLOADS_PREFIX, ASSETS_PREFIX],
    put: [UPLOADS_PREFIX, ASSETS_PREFIX],
    list: [UPLOADS_PREFIX, ASSETS_PREFIX],
  },
  'apply-soundtrack': {
    // The kept original (before revisions: the upload itself) and the music.
    read: [ORIGINALS_PREFIX, UPLOADS_PREFIX, ASSETS_PREFIX],
    // The new revision's rendition, poster and preview.
    put: SERVED_MEDIA,
    // The previous revision once the new one is served (or its own after a lost race), and the
    // range previews of revisions no longer served.
    delete: [...SERVED_MEDIA, STUDIO_PREVIEWS_PREFIX],
  },
  // Copies outputs the queue missed, exactly as the output-copier does.
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
