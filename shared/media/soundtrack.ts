import { safeAudioInputArgs } from './audio.ts';
import { secondsArg } from './input-safety.ts';
import type { VideoProbe } from './probe.ts';

/** Music put on a video while its rendition is made (transcodePlayback's `soundtrack`). */
export interface SoundtrackMix {
  /** A local audio file (probeAudio accepted it). */
  musicPath: string;
  /** `replace`: the music alone; `mix`: the music under the video's own sound. */
  mode: 'replace' | 'mix';
  /** The segment of the music used. */
  musicStartMs: number;
  musicEndMs: number;
  /** Where in the video the segment starts; music past the video's end is cut off. */
  offsetMs: number;
  /** Gains, 0..2 (1 = as recorded). */
  musicVolume: number;
  originalVolume: number;
}

/** Both sides of a mix in one shape, so they can be summed channel by channel. */
const STEREO_48K = 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';

/** A gain as ffmpeg reads it (no exponent notation). */
const gain = (v: number) => v.toFixed(3);

/**
 * The extra input and the audio side of the rendition's ffmpeg run: the music's segment, delayed by the
 * offset, scaled, and either alone or added to the video's own (scaled) sound. Both are padded with
 * silence and the output stops at the video's duration, so the video keeps its length whatever the music's.
 * Sums rather than `amix`, which divides by the number of inputs: each volume is exactly the one asked.
 */
export function soundtrackArgs(
  source: VideoProbe,
  mix: SoundtrackMix,
): { inputArgs: string[]; audioArgs: string[] } {
  const delay = Math.max(0, Math.round(mix.offsetMs));
  const music =
    `[1:a:0]atrim=start=${secondsArg(mix.musicStartMs)}:end=${secondsArg(mix.musicEndMs)},` +
    `asetpts=PTS-STARTPTS,${STEREO_48K},volume=${gain(mix.musicVolume)}` +
    `${delay > 0 ? `,adelay=${delay}|${delay}` : ''},apad`;
  // A silent video has nothing to mix under: the music alone.
  const graph =
    mix.mode === 'mix' && source.hasAudio
      ? `${music}[music];[0:a:0]${STEREO_48K},volume=${gain(mix.originalVolume)},apad[orig];` +
        '[orig][music]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[aout]'
      : `${music}[aout]`;
  return {
    inputArgs: safeAudioInputArgs(mix.musicPath),
    audioArgs: ['-filter_complex', graph, '-map', '[aout]', '-t', secondsArg(source.durationMs)],
  };
}
