import type { JobKind } from '../db/schema.ts';

/** Presigned GET URLs of a job's media inputs, made at dispatch time. */
export interface JobInputUrls {
  videoUrl?: string;
  imageUrl?: string;
}

export interface JobSpec {
  cost: number;
  /** `owner/name` of an official Replicate model (called without a version). */
  model: string | null;
  /** What the output becomes: a new video, an audio asset, or nothing (synchronous work). */
  output: 'video' | 'audio' | 'none';
  /**
   * The terms its outputs are used under, recorded on a video that uses them (music put on a video)
   * and shown in the video's view. Review them with the model's page before changing the model.
   */
  licence?: { name: string; url: string };
  buildInput(job: { input: Record<string, unknown> }, urls: JobInputUrls): Record<string, unknown>;
}

/** Both wan-2.2-animate models take the driving clip (already trimmed to ≤10 s) and the character. */
const wanAnimateInput: JobSpec['buildInput'] = (_job, urls) => ({
  video: urls.videoUrl,
  character_image: urls.imageUrl,
  resolution: '720',
  merge_audio: true,
});

/**
 * The one place that knows which model does what, what it costs, and how our job input
 * maps to the model's input. Change a model here and nowhere else.
 */
export const CATALOGUE: Record<JobKind, JobSpec> = {
  capture_frame: {
    cost: 0,
    model: null,
    output: 'none',
    buildInput: () => ({}),
  },
  template: {
    cost: 20,
    model: 'google/veo-3-fast',
    output: 'video',
    buildInput: ({ input }, urls) => ({
      prompt: input.prompt,
      image: urls.imageUrl,
      aspect_ratio: input.aspect_ratio ?? '9:16',
      resolution: '720p',
      generate_audio: false,
    }),
  },
  glitch_animate: {
    cost: 30,
    model: 'wan-video/wan-2.2-animate-animation',
    output: 'video',
    buildInput: wanAnimateInput,
  },
  glitch_replace: {
    cost: 30,
    model: 'wan-video/wan-2.2-animate-replace',
    output: 'video',
    buildInput: wanAnimateInput,
  },
  music: {
    cost: 5,
    // bark is text-to-speech; minimax/music-1.5 makes music from a style prompt (+ lyrics).
    model: 'minimax/music-1.5',
    output: 'audio',
    licence: {
      name: "MiniMax music-1.5 output, used under Replicate's and MiniMax's terms for generated content",
      url: 'https://replicate.com/minimax/music-1.5',
    },
    buildInput: ({ input }) => ({
      prompt: input.prompt,
      ...(input.lyrics ? { lyrics: input.lyrics } : {}),
    }),
  },
};

export const TERMINAL_STATUSES = ['succeeded', 'failed', 'canceled', 'aborted'] as const;
export const OPEN_STATUSES = ['queued', 'starting', 'processing'] as const;

/**
 * The terms outputs of `model` are used under: its catalogue entry's, or (a model since replaced in the
 * catalogue) a pointer to the model's own page.
 */
export function licenceOf(model: string): { name: string; url: string } {
  const spec = Object.values(CATALOGUE).find((s) => s.model === model && s.licence);
  return spec?.licence ?? { name: `See the terms of ${model}`, url: `https://replicate.com/${model}` };
}
