import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { InvalidMediaError } from './errors.ts';
import { runFfprobe } from './ffprobe.ts';
import type { MediaRunOptions } from './run.ts';

/**
 * Demuxers an audio input may use (music models answer MP3, M4A/MP4, WAV, FLAC or Ogg). Data formats
 * only: no playlist or concat demuxer that would make ffmpeg open other files (see input-safety.ts).
 */
export const AUDIO_DEMUXERS = ['mp3', 'mov', 'mp4', 'm4a', 'matroska', 'webm', 'ogg', 'wav', 'flac'] as const;

/** `-i` for an audio file, with the same whitelists as safeInputArgs (local files, known demuxers). */
export function safeAudioInputArgs(filePath: string, inputOptions: readonly string[] = []): string[] {
  return [
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    AUDIO_DEMUXERS.join(','),
    ...inputOptions,
    '-i',
    `file:${resolve(filePath)}`,
  ];
}

export interface AudioProbe {
  durationMs: number;
  codec: string;
}

const ffprobeOutput = z.object({
  format: z.optional(z.object({ duration: z.optional(z.string()) })),
  streams: z._default(
    z.array(z.object({ codec_type: z.optional(z.string()), codec_name: z.optional(z.string()) })),
    [],
  ),
});

/**
 * Duration and codec of an audio file (a music job's output). InvalidMediaError('corrupt') when ffprobe
 * cannot read it or it has no audio track or no duration.
 */
export async function probeAudio(filePath: string, options: MediaRunOptions = {}): Promise<AudioProbe> {
  const info = await stat(filePath);
  if (!info.isFile() || info.size === 0) throw new InvalidMediaError('corrupt', 'The audio file is empty');
  const stdout = await runFfprobe(
    'format=duration:stream=codec_type,codec_name',
    safeAudioInputArgs(filePath),
    'The audio file cannot be read',
    { timeoutMs: 30_000, ...options },
  );
  const parsed = ffprobeOutput.safeParse(JSON.parse(stdout || '{}'));
  const audio = parsed.success ? parsed.data.streams.find((s) => s.codec_type === 'audio') : undefined;
  const seconds = Number.parseFloat(parsed.success ? (parsed.data.format?.duration ?? '') : '');
  if (!audio?.codec_name || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidMediaError('corrupt', 'The audio file has no playable track');
  }
  return { durationMs: Math.floor(seconds * 1000), codec: audio.codec_name };
}
