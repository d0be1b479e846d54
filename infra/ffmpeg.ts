import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { ffmpegLayerCode } from '../layers/ffmpeg/build.ts';

/** Where the layer puts the binaries (layers are mounted at /opt). */
export const FFMPEG_PATH = '/opt/bin/ffmpeg';
export const FFPROBE_PATH = '/opt/bin/ffprobe';

/**
 * Only resolved when FFMPEG_PATH/FFPROBE_PATH are unset (local dev): bundling them would add
 * 150 MB to a function that already has the layer.
 */
export const FFMPEG_EXTERNAL_MODULES = ['@ffmpeg-installer/*', '@ffprobe-installer/*'];

/**
 * Static ffmpeg + ffprobe (layers/ffmpeg). One layer version shared by every function whose
 * FUNCTION_SIZING entry says `ffmpeg` (upload processing, ai, studio): the binaries are x86-64.
 */
export function createFfmpegLayer(scope: Construct, id: string): lambda.LayerVersion {
  return new lambda.LayerVersion(scope, id, {
    code: ffmpegLayerCode(),
    description: 'Static ffmpeg + ffprobe (x86-64) in /opt/bin',
    compatibleArchitectures: [lambda.Architecture.X86_64],
    compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
  });
}
