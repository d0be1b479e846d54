import { join } from 'node:path';
import { fitWidthFilter, safeInputArgs } from '../../../media/input-safety.ts';
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
  X264_ARGS,
} from './media.ts';

/**
 * wan-video/wan-2.2-animate-*: the real models animate `character_image` with the motion of `video`
 * (animation) or swap the character into it (replace). The stand-in "glitches" the driving video
 * (hue cycling, RGB shift, noise; negated for replace) and pins the character image in a corner.
 */
function wanModel(variant: 'animation' | 'replace'): StandInModel {
  return {
    name: `wan-video/wan-2.2-animate-${variant}`,
    required: ['video', 'character_image'],
    uriInputs: ['video', 'character_image'],
    // `resolution` is not type-checked: the stand-in always writes 480 px wide.
    types: {
      frames_per_second: 'integer',
      go_fast: 'boolean',
      seed: 'integer',
      merge_audio: 'boolean',
    },
    run: (ctx) => runWan(variant, ctx),
  };
}

async function runWan(variant: 'animation' | 'replace', ctx: ModelRunContext): Promise<string> {
  const { input, workDir, signal } = ctx;
  const video = await downloadInput('video', String(input.video), join(workDir, 'video'), signal);
  const image = await downloadInput(
    'character_image',
    String(input.character_image),
    join(workDir, 'character'),
    signal,
  );
  const fps = clampNumber(input.frames_per_second, 1, OUTPUT_FPS, OUTPUT_FPS);
  const glitch =
    variant === 'animation'
      ? 'hue=h=120*t:s=1.8,rgbashift=rh=8:bv=-8,noise=alls=28:allf=t+u'
      : 'negate,hue=h=-90*t:s=1.5,rgbashift=gh=-6:bh=6,noise=alls=20:allf=t';
  const mergeAudio = input.merge_audio !== false;
  ctx.log(
    `offline stand-in: glitching the driving video (${variant}), ${fps} fps, max ${OUTPUT_MAX_SECONDS} s`,
  );

  return ffmpeg(
    [
      ...safeInputArgs(video),
      ...imageInputArgs(image),
      '-filter_complex',
      `[0:v]fps=${fps},${fitWidthFilter(OUTPUT_WIDTH)},${glitch}[v];` +
        `[1:v]scale=w=${Math.round(OUTPUT_WIDTH / 4)}:h=-2,format=yuva420p[c];` +
        '[v][c]overlay=x=W-w-8:y=8:eof_action=repeat,format=yuv420p[out]',
      '-map',
      '[out]',
      ...(mergeAudio ? ['-map', '0:a?', '-c:a', 'aac', '-b:a', '64k'] : ['-an']),
      '-t',
      String(OUTPUT_MAX_SECONDS),
      ...X264_ARGS,
      ...MP4_MUX_ARGS,
    ],
    `${ctx.outputBase}.mp4`,
    signal,
  );
}

export const wanAnimateAnimation = wanModel('animation');
export const wanAnimateReplace = wanModel('replace');
