import { screeningEnv } from './config.ts';
import { detectModerationLabels, type ModerationLabel } from './rekognition.ts';

export interface Screening {
  /** The labels that refuse the image (a refused category at or above the confidence). */
  refused: ModerationLabel[];
}

/**
 * Screens an image of the media bucket: DetectModerationLabels, then the refused categories of
 * SCREENING_REFUSED_CATEGORIES (a label counts when its own name or its parent's is listed).
 */
export async function screenImage(key: string): Promise<Screening> {
  const categories = new Set(screeningEnv().SCREENING_REFUSED_CATEGORIES);
  const labels = await detectModerationLabels(key);
  return { refused: labels.filter((l) => categories.has(l.name) || categories.has(l.parent)) };
}

/** "Explicit Nudity, Graphic Violence": what a refusal says, for people and for the row. */
export function describeRefusal(refused: readonly ModerationLabel[]): string {
  return [...new Set(refused.map((l) => l.name))].join(', ');
}
