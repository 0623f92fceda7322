import { describe, expect, it } from 'vitest';
import { FifoQueue } from './fifo-queue.js';

describe('FifoQueue', () => {
  it('returns entries in insertion order across shift, take and compaction', () => {
    const queue = new FifoQueue<number>();
    const expected: number[] = [];
    const seen: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 97; i++) {
        queue.push(next);
        expected.push(next++);
      }
      seen.push(...queue.take(60));
      for (let i = 0; i < 20; i++) seen.push(queue.shift() as number);
    }
    seen.push(...queue.take(Number.MAX_SAFE_INTEGER));
    expect(seen).toEqual(expected);
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
  });
});
