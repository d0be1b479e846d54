import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '../../infra/function-sizing.ts';
import { grantMediaAccess, STORAGE_ACCESS, type StorageAccess } from '../../infra/storage-access.ts';
import {
  ASSETS_PREFIX,
  aiAudioKey,
  aiVideoKey,
  assetKey,
  avatarCdnPaths,
  avatarInboxKey,
  avatarKey,
  MEDIA_PREFIX,
  ORIGINALS_PREFIX,
  originalKey,
  PRIVATE_MEDIA_PREFIX,
  rangePreviewKey,
  retiredAvatarCdnPaths,
  STUDIO_CLIPS_PREFIX,
  STUDIO_PREVIEWS_PREFIX,
  STUDIO_TIMELINE_PREFIX,
  selectionClipKey,
  timelineFrameKey,
  timelineManifestKey,
  UPLOADS_PREFIX,
  videoCdnPaths,
  videoMediaKeys,
  videoUploadKey,
} from '../../shared/storage/keys.ts';
import { envOf, functionsByService, mediaBucket, s3Grants, synthTemplate, testApp } from './synth.ts';

let dev: Template;
beforeAll(() => {
  dev = synthTemplate('dev');
});

/** Function logical ids by name (`ai`, `reconciler`, …). */
const functionIds = (template: Template) =>
  new Map([...functionsByService(template)].map(([service, id]) => [service.replace(/^lokiz-/, ''), id]));

const idOf = (name: FunctionName): string => {
  const id = functionIds(dev).get(name);
  if (!id) throw new Error(`no Lambda for ${name}`);
  return id;
};

const list = (...prefixes: string[]) =>
  `s3:ListBucket <bucket> if ${JSON.stringify({ StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } })}`;

/** The grant strings (as s3Grants prints them) one STORAGE_ACCESS line stands for. */
function expectedGrants(access: StorageAccess): string[] {
  const grants = [
    ...(access.read ?? []).map((p) => `s3:GetObject <bucket>/${p}*`),
    ...(access.put ?? []).map((p) => `s3:PutObject <bucket>/${p}*`),
    ...(access.delete ?? []).map((p) => `s3:DeleteObject <bucket>/${p}*`),
  ];
  if (access.list?.length) grants.push(list(...access.list));
  return grants.sort();
}

describe('STORAGE_ACCESS in the template', () => {
  it('gives every function exactly the grants of its line, and MEDIA_BUCKET', () => {
    const bucketId = mediaBucket(dev)[0];
    for (const [name, id] of functionIds(dev)) {
      const access = STORAGE_ACCESS[name as FunctionName];
      if (!access) continue;
      expect(s3Grants(dev, id), name).toEqual(expectedGrants(access));
      expect(envOf(dev, id).MEDIA_BUCKET, name).toEqual({ Ref: bucketId });
    }
  });

  it('leaves functions without a line without MEDIA_BUCKET or any S3 grant', () => {
    const without = [...functionIds(dev)].filter(([name]) => !STORAGE_ACCESS[name as FunctionName]);
    expect(without.map(([name]) => name)).toEqual(expect.arrayContaining(['migrate', 'likes']));
    for (const [name, id] of without) {
      expect(envOf(dev, id).MEDIA_BUCKET, name).toBeUndefined();
      expect(s3Grants(dev, id), name).toEqual([]);
    }
  });

  it('grants no wildcard action and nothing bucket-wide but prefix-limited listing', () => {
    for (const [name, id] of functionIds(dev)) {
      for (const grant of s3Grants(dev, id)) {
        const [action, resource] = grant.split(' ');
        expect(action, name).not.toMatch(/\*/);
        expect(resource, name).not.toBe('<bucket>/*');
        if (resource === '<bucket>') {
          expect(grant, name).toMatch(/^s3:ListBucket <bucket> if \{"StringLike":\{"s3:prefix":\[/);
        }
      }
    }
  });
});

describe('who may touch which media', () => {
  it('videos: uploads via presigned PUT, signed GETs, visibility moves and removal of everything a video has', () => {
    expect(s3Grants(dev, idOf('videos'))).toEqual(
      [
        's3:PutObject <bucket>/uploads/*',
        // A visibility change copies the current revision to the other prefix.
        's3:PutObject <bucket>/media/*',
        's3:PutObject <bucket>/private/*',
        's3:GetObject <bucket>/media/*',
        's3:GetObject <bucket>/private/*',
        's3:GetObject <bucket>/uploads/*',
        's3:GetObject <bucket>/thumbnails/*',
        's3:DeleteObject <bucket>/uploads/*',
        's3:DeleteObject <bucket>/media/*',
        's3:DeleteObject <bucket>/private/*',
        's3:DeleteObject <bucket>/originals/*',
        's3:DeleteObject <bucket>/thumbnails/*',
        's3:DeleteObject <bucket>/studio/timeline/*',
        's3:DeleteObject <bucket>/studio/clips/*',
        // A visibility change retires the range previews of the revisions no longer served.
        's3:DeleteObject <bucket>/studio/previews/*',
      ].sort(),
    );
  });

  it('domains that list videos or people may only sign GETs of private and older videos (public media and avatars are CDN URLs)', () => {
    for (const name of ['users', 'glitch', 'search', 'hashtags'] as const) {
      expect(s3Grants(dev, idOf(name)), name).toEqual(
        [
          's3:GetObject <bucket>/private/*',
          's3:GetObject <bucket>/thumbnails/*',
          's3:GetObject <bucket>/uploads/*',
        ].sort(),
      );
    }
    expect(s3Grants(dev, idOf('notifications'))).toEqual(
      ['s3:GetObject <bucket>/private/*', 's3:GetObject <bucket>/thumbnails/*'].sort(),
    );
    // Author and follower cards and /v1/auth/me show avatars: CDN URLs, no grant.
    for (const name of ['comments', 'follows', 'auth'] as const) {
      expect(s3Grants(dev, idOf(name)), name).toEqual([]);
    }
    // The account domain: avatar uploads into the inbox only, and export downloads.
    expect(s3Grants(dev, idOf('account'))).toEqual(
      ['s3:PutObject <bucket>/avatars/inbox/*', 's3:GetObject <bucket>/exports/*'].sort(),
    );
  });

  it("originals: written by upload processing, read only to make a revision with music and for the owner's data export, never by the API", () => {
    const expected: Partial<Record<FunctionName, string[]>> = {
      'process-upload': ['s3:PutObject <bucket>/originals/*'],
      'apply-soundtrack': ['s3:GetObject <bucket>/originals/*'],
      'account-export': ['s3:GetObject <bucket>/originals/*'],
    };
    for (const name of functionIds(dev).keys()) {
      expect(
        s3Grants(dev, idOf(name as FunctionName)).filter(
          (g) => g.includes('/originals/') && !g.startsWith('s3:Delete'),
        ),
        name,
      ).toEqual(expected[name as FunctionName] ?? []);
    }
  });

  it('apply-soundtrack: reads the original and the music, writes a revision, retires the old one and its previews', () => {
    expect(s3Grants(dev, idOf('apply-soundtrack'))).toEqual(
      [
        's3:GetObject <bucket>/originals/*',
        // Videos from before originals were kept: the upload itself.
        's3:GetObject <bucket>/uploads/*',
        's3:GetObject <bucket>/assets/*',
        's3:PutObject <bucket>/media/*',
        's3:PutObject <bucket>/private/*',
        's3:DeleteObject <bucket>/media/*',
        's3:DeleteObject <bucket>/private/*',
        's3:DeleteObject <bucket>/studio/previews/*',
      ].sort(),
    );
  });

  it('ai: reads renditions, writes and probes assets (frames, character images)', () => {
    expect(s3Grants(dev, idOf('ai'))).toEqual(
      [
        's3:GetObject <bucket>/media/*',
        's3:GetObject <bucket>/private/*',
        's3:GetObject <bucket>/uploads/*',
        's3:GetObject <bucket>/assets/*',
        's3:PutObject <bucket>/assets/*',
        list('assets/'),
      ].sort(),
    );
  });

  it('studio: reads renditions and music, writes and reads its strips, clips and range previews', () => {
    expect(s3Grants(dev, idOf('studio'))).toEqual(
      [
        's3:GetObject <bucket>/media/*',
        's3:GetObject <bucket>/private/*',
        's3:GetObject <bucket>/uploads/*',
        's3:GetObject <bucket>/studio/timeline/*',
        's3:GetObject <bucket>/studio/clips/*',
        's3:GetObject <bucket>/studio/previews/*',
        // The music put on a video: probed for its length.
        's3:GetObject <bucket>/assets/*',
        's3:PutObject <bucket>/studio/timeline/*',
        's3:PutObject <bucket>/studio/clips/*',
        's3:PutObject <bucket>/studio/previews/*',
        list('studio/timeline/'),
      ].sort(),
    );
  });

  it('the output-copier and the reconciler: copy outputs into uploads/ and assets/ (HEAD first)', () => {
    // The webhook itself no longer touches media: it enqueues the copy.
    expect(s3Grants(dev, idOf('webhooks'))).toEqual([]);
    for (const name of ['output-copier', 'reconciler'] as const) {
      expect(s3Grants(dev, idOf(name)), name).toEqual(
        [
          's3:GetObject <bucket>/uploads/*',
          's3:GetObject <bucket>/assets/*',
          's3:PutObject <bucket>/uploads/*',
          's3:PutObject <bucket>/assets/*',
          list('uploads/', 'assets/'),
        ].sort(),
      );
    }
  });

  it('the dispatcher: signs GETs of the inputs it gives Replicate, nothing else', () => {
    expect(s3Grants(dev, idOf('ai-dispatcher'))).toEqual(
      ['s3:GetObject <bucket>/assets/*', 's3:GetObject <bucket>/studio/clips/*'].sort(),
    );
  });
});

describe('prefixes', () => {
  it('match the keys the code builds', () => {
    const job = { id: 'job', user_id: 'user' };
    expect(assetKey('user', 'asset', 'jpg').startsWith(ASSETS_PREFIX)).toBe(true);
    expect(aiAudioKey(job).startsWith(ASSETS_PREFIX)).toBe(true);
    expect(aiVideoKey(job).startsWith(UPLOADS_PREFIX)).toBe(true);
    expect(videoUploadKey('user', 'video', 'video/mp4').startsWith(UPLOADS_PREFIX)).toBe(true);
    expect(timelineFrameKey('video', 10, 0).startsWith(STUDIO_TIMELINE_PREFIX)).toBe(true);
    expect(timelineManifestKey('video', 10).startsWith(STUDIO_TIMELINE_PREFIX)).toBe(true);
    expect(selectionClipKey('selection').startsWith(STUDIO_CLIPS_PREFIX)).toBe(true);
    expect(rangePreviewKey('video', 3, 0, 10_000).startsWith(STUDIO_PREVIEWS_PREFIX)).toBe(true);
    const publicKeys = Object.values(videoMediaKeys('video', 3, 'public'));
    const privateKeys = Object.values(videoMediaKeys('video', 3, 'private'));
    expect(publicKeys.every((k) => k.startsWith(`${MEDIA_PREFIX}video/3/`))).toBe(true);
    expect(privateKeys.every((k) => k.startsWith(`${PRIVATE_MEDIA_PREFIX}video/3/`))).toBe(true);
    expect(originalKey('video', 3, 'video/quicktime')).toBe(`${ORIGINALS_PREFIX}video/3.mov`);
    // The CDN's paths of a video cover exactly its public media.
    expect(videoCdnPaths('video')).toEqual([`/${MEDIA_PREFIX}video/*`]);
    // Processed avatars are public media behind the CDN; their upload inbox is not.
    expect(avatarKey('user', 'avatar', 512)).toBe(`${MEDIA_PREFIX}avatars/user/avatar/512.jpg`);
    expect(avatarInboxKey('user', 'avatar', 'png').startsWith(MEDIA_PREFIX)).toBe(false);
    expect(avatarCdnPaths('user')).toEqual([`/${MEDIA_PREFIX}avatars/user/*`]);
    expect(retiredAvatarCdnPaths(avatarKey('user', 'avatar', 512))).toEqual([
      `/${MEDIA_PREFIX}avatars/user/avatar/*`,
    ]);
    expect(retiredAvatarCdnPaths('avatars/user/avatar/512.jpg')).toEqual([]);
  });

  it('refuses prefixes that are not folders', () => {
    const stack = new Stack(testApp(), 'Test');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = () => {};'),
    });
    expect(() => grantMediaAccess(fn, bucket, { read: ['uploads'] })).toThrow(/must end with "\/"/);
    expect(() => grantMediaAccess(fn, bucket, { list: ['assets'] })).toThrow(/must end with "\/"/);
  });
});
