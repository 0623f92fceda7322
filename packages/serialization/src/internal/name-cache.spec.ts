import { describe, expect, it } from 'vitest';
import { AsciiNameCache } from './name-cache.js';

function decode(cache: AsciiNameCache, name: string, padding = 3): string {
  const bytes = Buffer.concat([Buffer.alloc(padding, 0x2e), Buffer.from(name, 'latin1'), Buffer.alloc(padding, 0x2e)]);
  return cache.decode(bytes, padding, padding + name.length);
}

describe('ascii name cache', () => {
  it('returns the string it decoded earlier for the same bytes, wherever they are', () => {
    const cache = new AsciiNameCache();
    const first = decode(cache, 'MoneyDeposited');
    expect(first).toBe('MoneyDeposited');
    expect(decode(cache, 'MoneyDeposited', 7)).toBe(first);
  });

  it('tells apart names that share a slot', () => {
    const cache = new AsciiNameCache();
    // Same length, same last two and middle characters: the same slot.
    for (let i = 0; i < 3; i++) {
      expect(decode(cache, 'AccountOpened')).toBe('AccountOpened');
      expect(decode(cache, 'AccountClosed')).toBe('AccountClosed');
    }
    expect(decode(cache, 'AccountClosed')).toBe('AccountClosed');
    expect(decode(cache, 'BccountClosed')).toBe('BccountClosed');
  });

  it('decodes empty, one-character and long names', () => {
    const cache = new AsciiNameCache();
    const long = 'x'.repeat(200);
    expect([decode(cache, ''), decode(cache, 'a'), decode(cache, 'b'), decode(cache, long), decode(cache, long)]).toEqual([
      '',
      'a',
      'b',
      long,
      long,
    ]);
  });
});
