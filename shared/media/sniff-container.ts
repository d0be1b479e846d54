import { open } from 'node:fs/promises';

export type SniffedContainer =
  | 'isobmff' // mp4, mov, m4a, 3gp...
  | 'matroska' // mkv, webm
  | 'avi'
  | 'flv'
  | 'mpegts'
  | 'mpegps'
  | 'asf'
  | 'ogg'
  | 'gif'
  | 'unknown';

export const SNIFF_BYTES = 512;

/** Top-level box types an ISO-BMFF / QuickTime file starts with (`ftyp` normally; old .mov files vary). */
const ISOBMFF_FIRST_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot']);

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  Buffer.from(bytes.subarray(from, to)).toString('latin1');
const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0) =>
  magic.every((b, i) => bytes[at + i] === b);

/**
 * Identifies the container from its magic bytes, independently of the file name and of ffmpeg's probing
 * heuristics. This lets us refuse text, playlists and images before ffmpeg parses anything, and tell
 * "not a video" apart from "a video in a container we do not accept".
 */
export function sniffContainer(head: Uint8Array): SniffedContainer {
  if (head.length >= 8 && ISOBMFF_FIRST_BOXES.has(ascii(head, 4, 8))) return 'isobmff';
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'matroska';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ') return 'avi';
  if (ascii(head, 0, 3) === 'FLV') return 'flv';
  if ((head[0] === 0x47 && head[188] === 0x47) || (head[4] === 0x47 && head[196] === 0x47)) return 'mpegts';
  if (startsWith(head, [0x00, 0x00, 0x01, 0xba])) return 'mpegps';
  if (startsWith(head, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return 'asf';
  if (ascii(head, 0, 4) === 'OggS') return 'ogg';
  if (ascii(head, 0, 4) === 'GIF8') return 'gif';
  return 'unknown';
}

export async function sniffFile(filePath: string): Promise<SniffedContainer> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return sniffContainer(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
