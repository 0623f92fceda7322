import { describe, expect, it } from 'vitest';
import { prefixUpperBound } from './postgres-remote-tier.js';

describe('prefixUpperBound', () => {
  it('is above every string with the prefix and below the next prefix, in code point order', () => {
    const bound = prefixUpperBound('user:') as string;
    expect(bound).toBe('user;');
    for (const key of ['user:', 'user:1', 'user:\u{10ffff}\u{10ffff}', 'user:\uffff']) {
      expect(Buffer.compare(Buffer.from(key), Buffer.from(bound))).toBe(-1);
    }
    expect(Buffer.compare(Buffer.from('user;'), Buffer.from(bound))).toBe(0);
  });

  it('skips the surrogate range and drops trailing U+10FFFF', () => {
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\u{10ffff}')).toBeNull();
    expect(prefixUpperBound('')).toBeNull();
  });
});
