import { storageEnv } from '../storage/config.ts';
import { screeningEnv } from './config.ts';

export interface ModerationLabel {
  name: string;
  parent: string;
  confidence: number;
}

type RekognitionModule = typeof import('@aws-sdk/client-rekognition');
let client:
  | Promise<{ mod: RekognitionModule; rekognition: InstanceType<RekognitionModule['RekognitionClient']> }>
  | undefined;

/** Loaded on first use: only the AI routes and the upload worker, which screen images, pay for it. */
function rekognitionClient() {
  client ??= import('@aws-sdk/client-rekognition').then((mod) => ({
    mod,
    rekognition: new mod.RekognitionClient({ endpoint: screeningEnv().REKOGNITION_ENDPOINT }),
  }));
  return client;
}

/** Tests point the client at another stand-in. */
export function resetRekognitionClient(): void {
  client = undefined;
}

/**
 * An image to screen: an object of the media bucket (Rekognition reads it with the caller's
 * s3:GetObject; no bytes pass through the Lambda), or bytes the caller holds and has not stored
 * yet (at most 5 MB, Rekognition's limit for `Image.Bytes`).
 */
export type ScreenedImage = { key: string } | { bytes: Uint8Array };

/** Amazon Rekognition DetectModerationLabels. Labels at or above SCREENING_MIN_CONFIDENCE only. */
export async function detectModerationLabels(image: ScreenedImage): Promise<ModerationLabel[]> {
  const { mod, rekognition } = await rekognitionClient();
  const out = await rekognition.send(
    new mod.DetectModerationLabelsCommand({
      Image:
        'key' in image
          ? { S3Object: { Bucket: storageEnv().MEDIA_BUCKET, Name: image.key } }
          : { Bytes: image.bytes },
      MinConfidence: screeningEnv().SCREENING_MIN_CONFIDENCE,
    }),
  );
  return (out.ModerationLabels ?? []).map((l) => ({
    name: l.Name ?? '',
    parent: l.ParentName ?? '',
    confidence: l.Confidence ?? 0,
  }));
}
