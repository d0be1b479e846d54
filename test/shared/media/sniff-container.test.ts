import { describe, expect, it } from 'vitest';
import { readJpegSize } from '../../../shared/media/jpeg-size.ts';
import { sniffContainer } from '../../../shared/media/sniff-container.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffContainer', () => {
  it('recognises the containers we accept', () => {
    expect(sniffContainer(bytes([0, 0, 0, 0x20], 'ftypisom'))).toBe('isobmff');
    expect(sniffContainer(bytes([0, 0, 0, 0x14], 'ftypqt  '))).toBe('isobmff');
    expect(sniffContainer(bytes([0, 0, 0, 8], 'wide'))).toBe('isobmff');
    expect(sniffContainer(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))).toBe('matroska');
  });

  it('names other video containers, so they can be refused as unsupported', () => {
    expect(sniffContainer(bytes('RIFF', [1, 2, 3, 4], 'AVI LIST'))).toBe('avi');
    expect(sniffContainer(bytes('FLV', [1]))).toBe('flv');
    const ts = Buffer.alloc(400);
    ts[0] = 0x47;
    ts[188] = 0x47;
    expect(sniffContainer(ts)).toBe('mpegts');
    expect(sniffContainer(bytes([0, 0, 1, 0xba]))).toBe('mpegps');
    expect(sniffContainer(bytes('OggS'))).toBe('ogg');
    expect(sniffContainer(bytes('GIF89a'))).toBe('gif');
  });

  it('treats text, playlists, images and short files as unknown', () => {
    for (const text of ['#EXTM3U\n#EXTINF:10,\n/etc/passwd\n', 'ffconcat version 1.0\n', 'hello', '']) {
      expect(sniffContainer(bytes(text))).toBe('unknown');
    }
    expect(sniffContainer(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('unknown');
    expect(sniffContainer(bytes([0, 0, 0]))).toBe('unknown');
  });
});

describe('readJpegSize', () => {
  it('reads the frame header and refuses non-JPEG bytes', () => {
    // SOI, APP0 (length 4, 2 payload bytes), SOF0: length 17, precision 8, height 0x0168, width 0x0280.
    const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8, 0x01, 0x68, 0x02, 0x80, 3]);
    expect(readJpegSize(Buffer.concat([jpeg, Buffer.alloc(16)]))).toEqual({ width: 640, height: 360 });
    expect(readJpegSize(bytes('not a jpeg at all'))).toBeUndefined();
    expect(readJpegSize(bytes([0xff, 0xd8]))).toBeUndefined();
  });
});
