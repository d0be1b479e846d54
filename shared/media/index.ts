// Video processing with the ffmpeg/ffprobe binaries, hardened for untrusted uploads.
// Flow: probeVideo() every upload first, then transcodePlayback / makePreview / extractFrame, and
// cutClip / captureTimelineFrames on the rendition.
export { type AudioProbe, probeAudio } from './audio.ts';
export { ffmpegPath, ffprobePath } from './binaries.ts';
export { type CutClipOptions, cutClip } from './cut-clip.ts';
export {
  InvalidMediaError,
  type InvalidMediaReason,
  MediaProcessError,
  type MediaProcessFailure,
} from './errors.ts';
export { type ExtractedFrame, type ExtractFrameOptions, extractFrame } from './extract-frame.ts';
export { probeVideo, type VideoProbe } from './probe.ts';
export { makeProxyClip, PROXY_CLIP, type ProxyClipOptions } from './proxy-clip.ts';
export {
  fitInto,
  makePreview,
  PREVIEW,
  RENDITION,
  type Size,
  transcodePlayback,
} from './rendition.ts';
export type { MediaRunOptions } from './run.ts';
export type { SoundtrackMix } from './soundtrack.ts';
export {
  captureTimelineFrames,
  MAX_TIMELINE_FRAMES,
  type TimelineFrame,
  type TimelineFramesOptions,
} from './thumbnail-strip.ts';
