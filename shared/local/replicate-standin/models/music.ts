import { MediaProcessError } from '../../../media/errors.ts';
import type { ModelRunContext, StandInModel } from '../types.ts';
import { ffmpeg, OUTPUT_MAX_SECONDS, textHash } from './media.ts';

/**
 * minimax/music-1.5: a song from a prompt (and lyrics). The stand-in plays a short arpeggio whose root
 * note follows the prompt, with a second voice when there are lyrics. MP3 (libmp3lame, bundled), falling
 * back to AAC in .m4a if the ffmpeg in use lacks it.
 */
export const music15: StandInModel = {
  name: 'minimax/music-1.5',
  required: ['prompt'],
  uriInputs: [],
  types: { prompt: 'string', lyrics: 'string' },
  run: runMusic,
};

async function runMusic(ctx: ModelRunContext): Promise<string> {
  const { input, signal } = ctx;
  const root = 196 + (textHash(String(input.prompt)) % 12) * 11;
  // Root, major third, fifth, octave: one note per quarter second.
  const step = 'st(0,mod(floor(t*4),4));if(eq(ld(0),0),1,if(eq(ld(0),1),1.26,if(eq(ld(0),2),1.5,2)))';
  const lead = `0.3*sin(2*PI*t*${root}*(${step}))`;
  const voice =
    typeof input.lyrics === 'string' && input.lyrics.trim() ? `+0.12*sin(2*PI*t*${root * 2})` : '';
  const source = ['-f', 'lavfi', '-i', `aevalsrc=exprs='${lead}${voice}':s=44100:d=${OUTPUT_MAX_SECONDS}`];
  ctx.log(`offline stand-in: ${OUTPUT_MAX_SECONDS} s arpeggio on ${root} Hz`);

  try {
    return await ffmpeg(
      [...source, '-c:a', 'libmp3lame', '-b:a', '96k', '-f', 'mp3'],
      `${ctx.outputBase}.mp3`,
      signal,
    );
  } catch (err) {
    if (
      !(
        err instanceof MediaProcessError &&
        err.reason === 'exit' &&
        /mp3lame/i.test(err.details.stderrTail ?? '')
      )
    ) {
      throw err;
    }
    return ffmpeg([...source, '-c:a', 'aac', '-b:a', '96k', '-f', 'mp4'], `${ctx.outputBase}.m4a`, signal);
  }
}
