import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';

/**
 * Upload cut short? Both accepted containers declare sizes up front, so a missing tail shows as a
 * declared size running past the end of the file. Precise even when only the last bytes are missing,
 * which ffprobe tolerates when the mp4 index (`moov`) is at the front.
 */

/**
 * Top-level box types of mp4/mov files (plain and fragmented). The walk stops at anything else, so
 * trailing junk after the last box (seen from some editors) is never mistaken for a truncated box.
 */
const TOP_LEVEL_BOXES = new Set(
  'ftyp styp moov mdat moof mfra sidx ssix emsg prft pdin meta free skip wide pnot udta uuid'.split(' '),
);
/** Cap on boxes read, against a crafted file made of millions of tiny boxes. */
const MAX_BOXES = 100_000;

/** The type of the first top-level mp4/mov box that claims to extend past the end of the file, if any. */
async function truncatedIsoBmffBox(handle: FileHandle, fileSize: number): Promise<string | undefined> {
  const header = Buffer.alloc(16);
  let offset = 0;
  for (let boxes = 0; offset + 8 <= fileSize && boxes < MAX_BOXES; boxes++) {
    const { bytesRead } = await handle.read(header, 0, 16, offset);
    const type = header.toString('latin1', 4, 8);
    if (bytesRead < 8 || !TOP_LEVEL_BOXES.has(type)) return undefined;
    let boxSize = header.readUInt32BE(0);
    if (boxSize === 0) return undefined; // "extends to the end of the file"
    if (boxSize === 1) {
      if (bytesRead < 16) return type;
      boxSize = Number(header.readBigUInt64BE(8)); // 64-bit size after the type
    }
    if (boxSize < 8) return undefined; // malformed: ffprobe will judge
    if (offset + boxSize > fileSize) return type;
    offset += boxSize;
  }
  return undefined;
}

/** EBML variable-length integer at `at`: its length in bytes and value (undefined = "unknown size"). */
function readVint(
  bytes: Buffer,
  at: number,
  keepMarker: boolean,
): { length: number; value?: number } | undefined {
  const first = bytes[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23; // 1..8
  if (at + length > bytes.length) return undefined;
  let value = BigInt(keepMarker ? first : first & (0xff >> length));
  let allOnes = (first & (0xff >> length)) === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = (value << 8n) | BigInt(bytes[at + i]!);
    allOnes &&= bytes[at + i] === 0xff;
  }
  return { length, value: !keepMarker && allOnes ? undefined : Number(value) };
}

const EBML_HEADER_ID = 0x1a45dfa3;
const SEGMENT_ID = 0x18538067;

/** 'Segment' if the Matroska/WebM segment declares a size larger than what the file holds. */
async function truncatedMatroskaSegment(handle: FileHandle, fileSize: number): Promise<string | undefined> {
  const head = Buffer.alloc(1024);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  const bytes = head.subarray(0, bytesRead);
  const headerId = readVint(bytes, 0, true);
  if (headerId?.value !== EBML_HEADER_ID) return undefined;
  const headerSize = readVint(bytes, headerId.length, false);
  if (headerSize?.value === undefined) return undefined;
  const segmentAt = headerId.length + headerSize.length + headerSize.value;
  const segmentId = readVint(bytes, segmentAt, true);
  if (segmentId?.value !== SEGMENT_ID) return undefined;
  const segmentSize = readVint(bytes, segmentAt + segmentId.length, false);
  // Unknown size: live recordings (browser MediaRecorder) are written that way; nothing to compare.
  if (segmentSize?.value === undefined) return undefined;
  const segmentEnd = segmentAt + segmentId.length + segmentSize.length + segmentSize.value;
  return segmentEnd > fileSize ? 'Segment' : undefined;
}

/** Name of the structure that runs past the end of the file, or undefined if the file looks complete. */
export async function findTruncation(
  filePath: string,
  container: 'isobmff' | 'matroska',
): Promise<string | undefined> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    return container === 'isobmff'
      ? await truncatedIsoBmffBox(handle, size)
      : await truncatedMatroskaSegment(handle, size);
  } finally {
    await handle.close();
  }
}
