import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { openObject } from '../storage/s3.ts';

/**
 * A zip written to a file as it is built: JSON entries deflated, media copied from S3 chunk by
 * chunk and stored (already compressed), so memory stays flat however large the export.
 */
export class ZipFileWriter {
  private readonly out;
  private readonly zip: Zip;
  private error: Error | undefined;

  constructor(path: string) {
    this.out = createWriteStream(path);
    this.zip = new Zip((err, chunk, final) => {
      if (err) {
        this.error = err;
        return;
      }
      this.out.write(chunk);
      if (final) this.out.end();
    });
  }

  private async drain(): Promise<void> {
    if (this.error) throw this.error;
    if (this.out.writableNeedDrain) await once(this.out, 'drain');
  }

  async addJson(name: string, value: unknown): Promise<void> {
    const entry = new ZipDeflate(name, { level: 6 });
    this.zip.add(entry);
    entry.push(new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`), true);
    await this.drain();
  }

  async addText(name: string, text: string): Promise<void> {
    const entry = new ZipDeflate(name, { level: 6 });
    this.zip.add(entry);
    entry.push(new TextEncoder().encode(text), true);
    await this.drain();
  }

  /** Copies an S3 object into the archive as it downloads. */
  async addObject(name: string, key: string): Promise<void> {
    const entry = new ZipPassThrough(name);
    this.zip.add(entry);
    for await (const chunk of await openObject(key)) {
      entry.push(chunk as Uint8Array);
      await this.drain();
    }
    entry.push(new Uint8Array(0), true);
    await this.drain();
  }

  async close(): Promise<void> {
    this.zip.end();
    await finished(this.out);
    if (this.error) throw this.error;
  }
}
