import { rm } from 'node:fs/promises';
import { ffmpegPath } from './binaries.ts';
import { InvalidMediaError, MediaProcessError } from './errors.ts';
import { FFMPEG_COMMON_ARGS, outputArg, safeInputArgs } from './input-safety.ts';
import { probeVideo, type VideoProbe } from './probe.ts';
import { type MediaRunOptions, runBinary } from './run.ts';

/**
 * One ffmpeg run from an (untrusted) input to an mp4 with its index up front, then a probe of the
 * result, which is returned. On any failure the output file is removed; output ffprobe cannot read
 * (empty, nothing in range) is MediaProcessError('no_output').
 */
export async function encodeMp4(
  inputPath: string,
  outPath: string,
  opts: {
    label: string;
    outputArgs: string[];
    inputOptions?: string[];
    /** Further inputs (`-i …` with their own safety options), numbered from 1. */
    extraInputs?: string[];
    run: MediaRunOptions;
  },
): Promise<VideoProbe> {
  try {
    await runBinary(
      ffmpegPath(),
      [
        ...FFMPEG_COMMON_ARGS,
        ...safeInputArgs(inputPath, opts.inputOptions),
        ...(opts.extraInputs ?? []),
        ...opts.outputArgs,
        // ffmpeg 4.1 can abort with "Too many packets buffered" when one stream starts late.
        '-max_muxing_queue_size',
        '1024',
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        outputArg(outPath),
      ],
      opts.run,
    );
    return await probeVideo(outPath, opts.run);
  } catch (err) {
    await rm(outPath, { force: true });
    if (err instanceof InvalidMediaError) {
      throw new MediaProcessError(
        'no_output',
        `The ${opts.label} produced no playable video (${err.reason})`,
        {
          cause: err,
        },
      );
    }
    throw err;
  }
}
