import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { ffmpegPath } from '../media/binaries.ts';
import { openObject } from '../storage/s3.ts';

const TAG = '[rekognition-standin] (offline stand-in, not Rekognition)';

/**
 * The stand-in's documented, deterministic rules (README "Safety"):
 * 1. markers `lokiz-moderation:<Name>[:<confidence>];` or `lokiz-moderation:<Parent>/<Name>[:<confidence>];`
 *    anywhere in the image's bytes (a JPEG comment segment is the easy place) are labels,
 *    confidence 99 when not given;
 * 2. an image whose average colour is saturated red (R ≥ 180, G ≤ 60, B ≤ 60, measured by the
 *    bundled ffmpeg scaling it to one pixel) is `Violence / Graphic Violence` at 98.5: a frame of
 *    a red video (lavfi `color=red`) is how tests make an AI output whose poster frame is flagged.
 * Nothing else has labels. Labels under the request's MinConfidence (default 50) are left out, as
 * Rekognition does.
 */
const MARKER = /lokiz-moderation:([A-Za-z &-]{1,60}?)(?:\/([A-Za-z &-]{1,60}?))?(?::(\d{1,3}(?:\.\d+)?))?;/g;

export async function standInLabels(bytes: Uint8Array, minConfidence = 50) {
  const text = Buffer.from(bytes).toString('latin1');
  const labels = [];
  const [r, g, b] = await averageColour(bytes);
  if (r >= 180 && g <= 60 && b <= 60) {
    labels.push({ Name: 'Graphic Violence', ParentName: 'Violence', Confidence: 98.5, TaxonomyLevel: 2 });
  }
  for (const m of text.matchAll(MARKER)) {
    const [parent, name] = m[2] ? [m[1]!, m[2]] : ['', m[1]!];
    const confidence = Math.min(100, Number(m[3] ?? 99));
    if (confidence < minConfidence) continue;
    labels.push({ Name: name, ParentName: parent, Confidence: confidence, TaxonomyLevel: parent ? 2 : 1 });
  }
  return labels;
}

/** The image scaled to one pixel by ffmpeg; [0, 0, 0] when ffmpeg cannot read it. */
function averageColour(bytes: Uint8Array): Promise<[number, number, number]> {
  return new Promise((resolve) => {
    const args = [
      '-v',
      'error',
      '-i',
      'pipe:0',
      '-vf',
      'scale=1:1',
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ];
    const child = spawn(ffmpegPath(), args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', () => resolve([0, 0, 0]));
    child.on('close', () => {
      const px = Buffer.concat(out);
      resolve(px.length >= 3 ? [px[0]!, px[1]!, px[2]!] : [0, 0, 0]);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(Buffer.from(bytes));
  });
}

export interface RekognitionStandIn {
  endpoint: string;
  /** Every DetectModerationLabels call: the object or byte count it was asked about. */
  readonly calls: { image: string }[];
  close(): Promise<void>;
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Amazon Rekognition's DetectModerationLabels over HTTP (AWS JSON 1.1: `X-Amz-Target:
 * RekognitionService.DetectModerationLabels`), reading `Image.S3Object` from the local S3 (the
 * process's media bucket) or `Image.Bytes`. Errors in Rekognition's shape:
 * InvalidS3ObjectException, InvalidParameterException.
 */
export async function startRekognitionStandIn(
  opts: { log?: (line: string) => void; port?: number } = {},
): Promise<RekognitionStandIn> {
  const log = opts.log ?? (() => undefined);
  const calls: { image: string }[] = [];
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, type: string, message: string) =>
    reply(res, 400, { __type: type, Message: message });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        if (req.headers['x-amz-target'] !== 'RekognitionService.DetectModerationLabels') {
          return fail(res, 'UnknownOperationException', `${TAG} only answers DetectModerationLabels`);
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
          Image?: { Bytes?: string; S3Object?: { Bucket?: string; Name?: string } };
          MinConfidence?: number;
        };
        let bytes: Uint8Array;
        if (body.Image?.S3Object?.Name) {
          const key = body.Image.S3Object.Name;
          calls.push({ image: key });
          try {
            bytes = await readAll(await openObject(key));
          } catch {
            return fail(
              res,
              'InvalidS3ObjectException',
              'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
            );
          }
        } else if (body.Image?.Bytes) {
          bytes = Buffer.from(body.Image.Bytes, 'base64');
          calls.push({ image: `${bytes.length} bytes` });
        } else {
          return fail(res, 'InvalidParameterException', 'Request has invalid parameters');
        }
        const labels = await standInLabels(bytes, body.MinConfidence ?? 50);
        log(
          `${TAG} DetectModerationLabels → ${labels.length ? labels.map((l) => l.Name).join(', ') : 'no labels'}`,
        );
        reply(res, 200, { ModerationLabels: labels, ModerationModelVersion: '7.0' });
      } catch (err) {
        reply(res, 500, { __type: 'InternalServerError', Message: String(err) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  log(`${TAG} listening on ${endpoint}`);
  return {
    endpoint,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
