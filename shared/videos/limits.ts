/**
 * What an upload may be, enforced by process-upload on the stored object (README "Limits"), and
 * the time it gets (infra sizes the process-upload Lambda from it).
 */
export const MAX_VIDEO_DURATION_MS = 3 * 60 * 1000;
export const MAX_VIDEO_BYTES = 200 * 1024 * 1024;
/** 3840×2160 (4K UHD) in either orientation: more costs seconds and gigabytes per decoded frame batch. */
export const MAX_SOURCE_PIXELS = 3840 * 2160;
/**
 * ffmpeg time for one upload, all steps. The Lambda's timeout is this plus room for the S3
 * transfers; the handler also stops earlier if its own deadline comes first.
 */
export const PROCESSING_BUDGET_MS = 8 * 60 * 1000;
