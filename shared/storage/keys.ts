/** Every object key is chosen by the server, never by a client. */
export const UPLOADS_PREFIX = 'uploads/';
export const THUMBNAILS_PREFIX = 'thumbnails/';

export const VIDEO_TYPES = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
} as const;
export type VideoContentType = keyof typeof VIDEO_TYPES;

export function videoUploadKey(userId: string, videoId: string, contentType: VideoContentType): string {
  return `${UPLOADS_PREFIX}${userId}/${videoId}.${VIDEO_TYPES[contentType]}`;
}

export function thumbnailKey(videoId: string): string {
  return `${THUMBNAILS_PREFIX}${videoId}.jpg`;
}
