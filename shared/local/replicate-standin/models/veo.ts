import { join } from 'node:path';
import type { ModelRunContext, StandInModel } from '../types.ts';
import {
  clampNumber,
  downloadInput,
  ffmpeg,
  imageInputArgs,
  MP4_MUX_ARGS,
  OUTPUT_FPS,
  OUTPUT_MAX_SECONDS,
  OUTPUT_WIDTH,
  textHash,
  X264_ARGS,
} from './media.ts';

/**
 * google/veo-3-fast: text (and optionally a start frame) to video. The stand-in slowly zooms into the
 * start frame with a hue drift, or animates a test pattern without one; `generate_audio` adds a tone.
 */
export const veo3Fast: StandInModel = {
  name: 'google/veo-3-fast',
  required: ['prompt'],
  uriInputs: ['image'],
  types: {
    prompt: 'string',
    aspect_ratio: 'string',
    duration: 'integer',
    resolution: 'string',
    generate_audio: 'boolean',
    negative_prompt: 'string',
    seed: 'integer',
  },
  run: runVeo,
};

async function runVeo(ctx: ModelRunContext): Promise<string> {
  const { input, workDir, signal } = ctx;
  const seconds = clampNumber(input.duration, 1, OUTPUT_MAX_SECONDS, OUTPUT_MAX_SECONDS);
  // 16:9 by default, as Veo; 480x270 or 270x480 (even sizes for yuv420p).
  const short = Math.round((OUTPUT_WIDTH * 9) / 16 / 2) * 2;
  const [w, h] = input.aspect_ratio === '9:16' ? [short, OUTPUT_WIDTH] : [OUTPUT_WIDTH, short];
  const hueSpeed = 20 + (textHash(String(input.prompt)) % 60);
  const frames = seconds * OUTPUT_FPS;

  let videoInput: string[];
  let videoFilter: string;
  if (typeof input.image === 'string') {
    const image = await downloadInput('image', input.image, join(workDir, 'start-frame'), signal);
    videoInput = imageInputArgs(image, ['-loop', '1', '-framerate', String(OUTPUT_FPS)]);
    videoFilter =
      `[0:v]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},` +
      `zoompan=z='1+0.15*on/${frames}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:s=${w}x${h}:fps=${OUTPUT_FPS},` +
      `hue=h=${hueSpeed}*t,format=yuv420p[out]`;
  } else {
    videoInput = ['-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=${OUTPUT_FPS}`];
    videoFilter = `[0:v]hue=h=${hueSpeed}*t:s=1.5,format=yuv420p[out]`;
  }
  const withAudio = input.generate_audio !== false;
  const audioInput = withAudio
    ? ['-f', 'lavfi', '-i', `sine=frequency=${220 + (hueSpeed % 7) * 55}:sample_rate=44100`]
    : [];
  ctx.log(
    `offline stand-in: ${seconds} s ${w}x${h} clip from ${input.image ? 'the start frame' : 'a test pattern'}` +
      `${input.duration !== undefined && seconds !== input.duration ? ` (asked ${input.duration} s)` : ''}`,
  );

  return ffmpeg(
    [
      ...videoInput,
      ...audioInput,
      '-filter_complex',
      videoFilter,
      '-map',
      '[out]',
      ...(withAudio ? ['-map', '1:a', '-c:a', 'aac', '-b:a', '64k'] : ['-an']),
      '-t',
      String(seconds),
      ...X264_ARGS,
      ...MP4_MUX_ARGS,
    ],
    `${ctx.outputBase}.mp4`,
    signal,
  );
}
