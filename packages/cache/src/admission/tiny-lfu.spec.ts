import { describe, expect, it } from 'vitest';
import { hashString } from '../internal/string-hash.js';
import { CountMinSketch } from './count-min-sketch.js';
import { Doorkeeper } from './doorkeeper.js';
import { TinyLfu } from './tiny-lfu.js';

describe('CountMinSketch', () => {
  it('estimates counts from above and saturates at 15', () => {
    const sketch = new CountMinSketch(1_000);
    const hot = hashString('hot');
    for (let i = 0; i < 9; i++) sketch.increment(hot);
    expect(sketch.estimate(hot)).toBe(9);
    for (let i = 0; i < 30; i++) sketch.increment(hot);
    expect(sketch.estimate(hot)).toBe(15);
    expect(sketch.estimate(hashString('never seen'))).toBe(0);
  });

  it('halves every counter when aged', () => {
    const sketch = new CountMinSketch(64);
    const key = hashString('k');
    for (let i = 0; i < 12; i++) sketch.increment(key);
    sketch.halve();
    expect(sketch.estimate(key)).toBe(6);
  });
});

describe('Doorkeeper', () => {
  it('reports the first sighting of a key as new and later ones as seen, until cleared', () => {
    const door = new Doorkeeper(1_000);
    const key = hashString('key');
    expect(door.contains(key)).toBe(false);
    expect(door.put(key)).toBe(false);
    expect(door.put(key)).toBe(true);
    expect(door.contains(key)).toBe(true);
    door.clear();
    expect(door.contains(key)).toBe(false);
  });
});

describe('TinyLfu', () => {
  it('admits a candidate more popular than the victim and refuses a one-hit wonder', () => {
    const lfu = new TinyLfu(100);
    const popular = hashString('popular');
    const once = hashString('once');
    for (let i = 0; i < 5; i++) lfu.record(popular);
    lfu.record(once);
    expect(lfu.frequency(popular)).toBeGreaterThan(lfu.frequency(once));
    expect(lfu.admit(popular, once)).toBe(true);
    expect(lfu.admit(once, popular)).toBe(false);
  });

  it('forgets old popularity: frequencies decay once the sample is full', () => {
    const lfu = new TinyLfu(10); // sample of 100 requests
    const old = hashString('old');
    for (let i = 0; i < 8; i++) lfu.record(old);
    const before = lfu.frequency(old);
    for (let i = 0; i < 200; i++) lfu.record(hashString(`filler-${i}`));
    expect(lfu.frequency(old)).toBeLessThan(before);
  });
});
