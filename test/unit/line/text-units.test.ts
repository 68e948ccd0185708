import { describe, expect, it } from 'vitest';
import { clipGraphemes, clipUnits, graphemeCount, truncateUnits } from '../../../src/line/text-units.js';

describe('LINE text counting', () => {
  it('counts emoji as 2 UTF-16 units and 1 grapheme', () => {
    expect('😀'.length).toBe(2);
    expect(graphemeCount('😀👨‍👩‍👧が')).toBe(3);
  });

  it('clips 5,000 emoji to 5,000 units, never splitting a pair', () => {
    const clipped = clipUnits('😀'.repeat(5000), 5000);
    expect(clipped.length).toBeLessThanOrEqual(5000);
    expect(clipped.endsWith('😀…')).toBe(true);
    expect(clipped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('truncates at a grapheme boundary even inside a family emoji', () => {
    const family = '👨‍👩‍👧'; // 8 units
    expect(truncateUnits(`a${family}`, 5)).toBe('a');
    expect(truncateUnits(`ab${family}`, 10)).toBe(`ab${family}`);
    expect(truncateUnits('abc', 3)).toBe('abc');
  });

  it('clips labels by grapheme clusters', () => {
    expect(clipGraphemes('受付を停止して再開する受付を停止して再開する', 20)).toHaveLength(20);
    expect(graphemeCount(clipGraphemes('👍'.repeat(30), 20))).toBe(20);
    expect(clipGraphemes('👍'.repeat(20), 20)).toBe('👍'.repeat(20));
  });
});
