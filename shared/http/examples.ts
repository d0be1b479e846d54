/**
 * Values the OpenAPI examples share, so that the video in one example is the `video_id` of
 * another and a reader can follow one story: @trickster uploads a clip, @remixer glitches it.
 */
const MEDIA = 'https://lokiz-media-prod.s3.eu-west-1.amazonaws.com';
/** The media CDN (CloudFront): public media and avatars, never signed. */
const CDN = 'https://d2x7k3m9q1w5e8.cloudfront.net';
const SIGNED = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=9c1e…';

export const EX = {
  userId: '7d4e0b6a-9f12-4c3e-8a21-3f8a2c1e5b7d',
  otherUserId: 'b2c9e4f1-6a3d-4f7e-9b10-5e8d2a7c4f31',
  videoId: '3f8a2c1e-5b7d-4e9a-8c21-7d4e0b6a9f12',
  glitchVideoId: '9e1d7c5b-3a2f-4b8e-a6d4-1c0f9b8e7d26',
  commentId: '6f1c2a9e-3b7d-4e2a-9c41-0d5e8b7a2f13',
  replyId: 'a4e8b2d6-1f3c-4a5e-8b7d-9c2f0e1a3b54',
  jobId: 'c5d3a1f9-8e7b-4c6d-b2a0-4f1e3d5c7b98',
  selectionId: 'd8b6f4e2-0c1a-4e9f-8d7b-6a5c4e3f2d10',
  imageId: 'e1f3a5c7-9b2d-4f6e-a8c0-2d4b6f8e0a12',
  avatarId: '5c7e9a1b-3d5f-4b7a-8c9e-1f3a5b7d9e02',
  deviceId: '1b3d5f7a-9c2e-4a6b-8d0f-2e4a6c8b0d13',
  exportId: '8c6e4a2f-0d1b-4f3e-9a7c-5b3d1f9e7a60',
  frameId: 'f2a4c6e8-0b1d-4e3f-9a5c-7e9b1d3f5a24',
  notificationId: '0a2c4e6f-8b1d-4f3a-9c5e-7b9d1f3a5c36',
  time: '2026-11-30T09:15:00.000Z',
  later: '2026-11-30T09:16:12.000Z',
  urlsExpireAt: '2026-11-30T10:15:00.000Z',
  cursor: 'eyJ0IjoxNzY0NDkzNzAwMDAwMDAwLCJpZCI6IjNmOGEyYzFlIn0',
  predictionId: 'q7zkm3xk5hrm80ckr4g8vd1z2c',
  /** A public media object at the CDN (media/…: videos' renditions, posters and previews, avatars). */
  cdn: (key: string) => `${CDN}/${key}`,
  /** A presigned GET as the API returns it (shortened). */
  signed: (key: string) => `${MEDIA}/${key}?${SIGNED}`,
  /** A presigned PUT for an upload (shortened). */
  uploadUrl: (key: string) => `${MEDIA}/${key}?${SIGNED.replace('3600', '900')}`,
} as const;
