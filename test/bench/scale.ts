/** How much data the seeder writes. */
export interface Scale {
  name: string;
  users: number;
  videos: number;
  likes: number;
  comments: number;
  follows: number;
  /** Distinct hashtags (the vocabulary captions draw from, skewed: a few are hot). */
  hashtags: number;
}

/** The scale: 100k users, 1M videos, 5M likes, 1M comments, 2M follows. */
export const DEFAULT_SCALE: Scale = {
  name: 'default',
  users: 100_000,
  videos: 1_000_000,
  likes: 5_000_000,
  comments: 1_000_000,
  follows: 2_000_000,
  hashtags: 20_000,
};

/** For working on the benchmark itself (seconds to seed). */
export const SMALL_SCALE: Scale = {
  name: 'small',
  users: 10_000,
  videos: 50_000,
  likes: 250_000,
  comments: 50_000,
  follows: 100_000,
  hashtags: 2_000,
};

/** The reference for "p99 must stay flat": the same shape at 10k videos. */
export const REFERENCE_SCALE: Scale = {
  name: '10k videos',
  users: 1_000,
  videos: 10_000,
  likes: 50_000,
  comments: 10_000,
  follows: 20_000,
  hashtags: 500,
};

export const SCALES: Record<string, Scale> = { default: DEFAULT_SCALE, small: SMALL_SCALE };
