import { screeningEnv } from './config.ts';
import { detectModerationLabels, type ModerationLabel, type ScreenedImage } from './rekognition.ts';

export interface Screening {
  /** The labels that refuse the image (a refused category at or above the confidence). */
  refused: ModerationLabel[];
}

/**
 * Screens an image (stored, or bytes not stored yet): DetectModerationLabels, then the refused
 * categories of SCREENING_REFUSED_CATEGORIES (a label counts when its own name or its parent's is listed).
 */
export async function screenImage(image: ScreenedImage): Promise<Screening> {
  const categories = new Set(screeningEnv().SCREENING_REFUSED_CATEGORIES);
  const labels = await detectModerationLabels(image);
  return { refused: labels.filter((l) => categories.has(l.name) || categories.has(l.parent)) };
}

/** "Explicit Nudity, Graphic Violence": what a refusal says, for people and for the row. */
export function describeRefusal(refused: readonly ModerationLabel[]): string {
  return [...new Set(refused.map((l) => l.name))].join(', ');
}
