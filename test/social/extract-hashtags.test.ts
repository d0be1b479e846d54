import { describe, expect, it } from 'vitest';
import { extractHashtags, isValidTag, normalizeTag } from '../../shared/hashtags/extract.ts';

describe('extractHashtags', () => {
  it.each([
    ['#트릭스터 영상', ['트릭스터']],
    ['#glitch_art and #Glitch_Art and #GLITCH_ART', ['glitch_art']],
    ['mixed #트릭Star, #ナルト。#café!', ['트릭star', 'ナルト', 'café']],
    ['full-width ＃트릭 works', ['트릭']],
    ['ends at punctuation: #one,#two. #three!? #four🔥', ['one', 'two', 'three', 'four']],
    ['not tags: page#anchor &#39; #1 #2024 #___', []],
    ['digits inside are fine: #2024glitch #v2', ['2024glitch', 'v2']],
    ['#a#b → one tag', ['a']],
    ['', []],
    ['# alone, ## double', []],
  ])('%j → %j', (caption, tags) => {
    expect(extractHashtags(caption)).toEqual(tags);
  });

  it('NFC-normalises: decomposed and composed spellings are one tag', () => {
    const decomposed = '#트릭'.normalize('NFD');
    expect(decomposed).not.toBe('#트릭');
    expect(extractHashtags(`${decomposed} #트릭 #e\u0301te\u0301 #été`)).toEqual(['트릭', 'été']);
  });

  it('keeps at most 30 distinct tags and skips tags over 100 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => `#tag${i}`).join(' ');
    expect(extractHashtags(many)).toEqual(Array.from({ length: 30 }, (_, i) => `tag${i}`));
    expect(extractHashtags(`#${'a'.repeat(101)} #${'b'.repeat(100)}`)).toEqual(['b'.repeat(100)]);
    expect(extractHashtags(`#${'가'.repeat(100)}`)).toEqual(['가'.repeat(100)]);
  });

  it('normalises and validates tags from URLs the same way', () => {
    expect(normalizeTag('Glitch_ART')).toBe('glitch_art');
    expect(isValidTag('트릭스터')).toBe(true);
    expect(isValidTag('has space')).toBe(false);
    expect(isValidTag('123')).toBe(false);
    expect(isValidTag('')).toBe(false);
  });
});
