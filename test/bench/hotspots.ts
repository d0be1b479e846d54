import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { issueAccessToken, verifyAccessToken } from '../../shared/auth/tokens.ts';
import { resetEnvCache } from '../../shared/config/env.ts';
import { mediaUrl, resetS3Client, s3 } from '../../shared/storage/s3.ts';
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

  const getSignedUrlUs = await perOp(3000, (i) => mediaUrl(`uploads/owner/video-${i}.mp4`));
  out.push({
    name: 'mediaUrl(): one presigned GET (getSignedUrl with a GetObjectCommand, shared/storage/s3.ts)',
    usPerOp: getSignedUrlUs,
    perRequest: `×2 per video: ${((getSignedUrlUs * 40) / 1000).toFixed(1)} ms for a 20-video page`,
  });

  // The same SigV4 query signature without the command's middleware stack (endpoint rules,
  // serialisers): a presigner over a request whose URL is built once per bucket.
  const client = s3();
  const endpoint = new URL(process.env.S3_ENDPOINT!);
  const presigner = new S3RequestPresigner({ ...client.config });
  const rawUs = await perOp(3000, (i) =>
    presigner.presign(
      {
        method: 'GET',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: Number(endpoint.port),
        path: `/${process.env.MEDIA_BUCKET}/uploads/owner/video-${i}.mp4`,
        query: {},
        headers: { host: endpoint.host },
      } as never,
      { expiresIn: 3600 },
    ),
  );
  out.push({
    name: 'the same signature through S3RequestPresigner.presign() on a prebuilt request',
    usPerOp: rawUs,
    perRequest: `${((rawUs * 40) / 1000).toFixed(1)} ms for a 20-video page`,
  });

  const { token } = await issueAccessToken(
    '00000000-0000-4000-8000-000000000001',
    '00000000-0000-4000-8000-000000000002',
  );
  const jwtUs = await perOp(3000, () => verifyAccessToken(token));
  out.push({
    name: 'verifyAccessToken() (jose, HS256)',
    usPerOp: jwtUs,
    perRequest: 'once per signed-in request',
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
      video_url: `http://127.0.0.1:4569/bucket/uploads/owner/${i}.mp4?X-Amz-Signature=${'a'.repeat(64)}`,
      thumbnail_url: `http://127.0.0.1:4569/bucket/thumbnails/${i}.jpg?X-Amz-Signature=${'b'.repeat(64)}`,
      urls_expire_at: now.toISOString(),
      glitch_of: null,
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
