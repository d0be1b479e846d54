import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { issueAccessToken, verifyAccessToken } from '../../shared/auth/tokens.ts';
import { resetEnvCache } from '../../shared/config/env.ts';
import { publicMediaUrl } from '../../shared/storage/media-url.ts';
import { resetS3Client, s3Client } from '../../shared/storage/s3.ts';
import { signedMediaUrl } from '../../shared/storage/signed-url.ts';
import { VideoPage } from '../../shared/videos/view.ts';

export interface HotSpot {
  name: string;
  usPerOp: number;
  perRequest: string;
}

async function perOp(n: number, fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(500, n); i++) await fn(i);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - t0) / n) * 1000;
}

/**
 * The per-request CPU work the handlers add over their SQL, timed alone in this process: what
 * explains the distance between the floor and the API for the endpoints that return videos.
 */
export async function measureHotSpots(s3Env: Record<string, string>): Promise<HotSpot[]> {
  Object.assign(process.env, s3Env);
  resetEnvCache();
  resetS3Client();
  const out: HotSpot[] = [];

  const client = await s3Client();
  const getSignedUrlUs = await perOp(3000, (i) =>
    getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: process.env.MEDIA_BUCKET, Key: `private/v-${i}/1/play.mp4` }),
      {
        expiresIn: 3600,
      },
    ),
  );
  out.push({
    name: 'one presigned GET through the SDK (getSignedUrl with a GetObjectCommand; before media revisions)',
    usPerOp: getSignedUrlUs,
    perRequest: `×2 per video: ${((getSignedUrlUs * 40) / 1000).toFixed(1)} ms for a 20-video page`,
  });

  // Private media now: one S3RequestPresigner over a request built from the key (shared/storage/signed-url.ts).
  // Distinct keys, so the per-window memo never answers.
  const rawUs = await perOp(3000, (i) => signedMediaUrl(`private/video-${i}/1/play.mp4`));
  out.push({
    name: 'signedMediaUrl(): private media through a prebuilt S3RequestPresigner (shared/storage/signed-url.ts)',
    usPerOp: rawUs,
    perRequest: `only private media: ${((rawUs * 40) / 1000).toFixed(1)} ms for a 20-video page of private videos`,
  });
  const cdnUs = await perOp(30_000, (i) => publicMediaUrl(`media/video-${i}/1/play.mp4`));
  out.push({
    name: "publicMediaUrl(): a public video's CDN URL by concatenation (shared/storage/media-url.ts)",
    usPerOp: cdnUs,
    perRequest: `×3 per video: ${((cdnUs * 60) / 1000).toFixed(3)} ms for a 20-video page`,
  });

  // Distinct tokens (each one's first verification: jose's HMAC), then one token again (the
  // process's memo of verified tokens, shared/auth/tokens.ts).
  const tokens = await Promise.all(
    Array.from({ length: 3500 }, (_, i) =>
      issueAccessToken(
        '00000000-0000-4000-8000-000000000001',
        `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      ).then((t) => t.token),
    ),
  );
  let next = 0; // warm-up and timed runs each take new tokens: 500 + 3000
  const jwtUs = await perOp(3000, () => verifyAccessToken(tokens[next++]!));
  out.push({
    name: "verifyAccessToken(), a token's first verification (jose, HS256, WebCrypto key imported once)",
    usPerOp: jwtUs,
    perRequest: 'once per token and process',
  });
  const repeatUs = await perOp(30_000, () => verifyAccessToken(tokens[0]!));
  out.push({
    name: 'verifyAccessToken(), the same token again (verified tokens kept until exp)',
    usPerOp: repeatUs,
    perRequest: 'every other signed-in request',
  });

  const now = new Date();
  const page = {
    items: Array.from({ length: 20 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      owner: {
        id: '00000000-0000-4000-8000-000000000001',
        username: 'neon_fox_1',
        display_name: 'Neon Fox',
        avatar_url: null,
      },
      caption: 'dance sunset tokyo #dance #travel',
      visibility: 'public',
      status: 'ready',
      failure_reason: null,
      origin: 'upload',
      duration_ms: 15_000,
      width: 720,
      height: 1280,
      like_count: 10,
      comment_count: 2,
      glitch_count: 0,
      liked_by_me: false,
      video_url: `https://d1234abcd.cloudfront.net/media/${i}/1/play.mp4`,
      thumbnail_url: `https://d1234abcd.cloudfront.net/media/${i}/1/poster.jpg`,
      preview_url: `https://d1234abcd.cloudfront.net/media/${i}/1/preview.mp4`,
      urls_expire_at: null,
      glitch_of: null,
      allow_glitches: true,
      allow_frame_capture: true,
      removed_reason: null,
      ai_generated: false,
      ai_model: null,
      music: null,
      created_at: now,
      updated_at: now,
    })),
    next_cursor:
      'eyJ0IjoiMTc2NDIwMDAwMDAwMDAwMCIsImlkIjoiMDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAxIn0',
  };
  const zodUs = await perOp(2000, () => VideoPage.parse(page));
  out.push({
    name: 'response schema: VideoPage.parse() of a 20-video page (zod)',
    usPerOp: zodUs,
    perRequest: 'once per feed/search/tag page',
  });
  const parsed = VideoPage.parse(page);
  const jsonUs = await perOp(2000, () => JSON.stringify(parsed));
  out.push({ name: 'JSON.stringify() of that page', usPerOp: jsonUs, perRequest: 'once per page' });
  return out;
}
