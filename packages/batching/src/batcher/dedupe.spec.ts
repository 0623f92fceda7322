import { describe, expect, it } from 'vitest';
import { createBatcher } from '../index.js';
import { ControlledSink } from '../../test/support/controlled-sink.js';
import { nextTurn } from '../../test/support/async.js';

type Read = { key: string; caller: number };

function readBatcher(sink: ControlledSink<Read, string>) {
  return createBatcher<Read, string>({
    execute: sink.execute,
    maxSize: 10,
    maxDelayMs: 0,
    maxPending: 100,
    dedupeKey: (read) => read.key,
  });
}

const load = (read: Read): string | Error => (read.key === 'bad' ? new Error('cannot load bad') : `value of ${read.key}`);

describe('deduplication', () => {
  it('executes items with the same key pending together once, and every caller gets that result', async () => {
    const sink = new ControlledSink(load);
    const batcher = readBatcher(sink);
    const results = [
      batcher.add({ key: 'a', caller: 1 }),
      batcher.add({ key: 'b', caller: 2 }),
      batcher.add({ key: 'a', caller: 3 }),
      batcher.add({ key: 'a', caller: 4 }),
    ];
    await nextTurn();
    expect(sink.batches).toEqual([
      [
        { key: 'a', caller: 1 },
        { key: 'b', caller: 2 },
      ],
    ]);
    sink.complete();
    await expect(Promise.all(results)).resolves.toEqual(['value of a', 'value of b', 'value of a', 'value of a']);
    expect(batcher.stats).toMatchObject({ items: 2, deduplicated: 2 });
  });

  it('rejects every caller of a key whose item failed, and no one else', async () => {
    const sink = new ControlledSink(load);
    const batcher = readBatcher(sink);
    const results = [
      batcher.add({ key: 'bad', caller: 1 }),
      batcher.add({ key: 'ok', caller: 2 }),
      batcher.add({ key: 'bad', caller: 3 }),
    ];
    await nextTurn();
    sink.complete();
    const outcomes = await Promise.allSettled(results);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
  });

  it('executes a key again when it is added after its earlier item started executing', async () => {
    const sink = new ControlledSink(load);
    const batcher = readBatcher(sink);
    void batcher.add({ key: 'a', caller: 1 });
    await nextTurn();
    void batcher.add({ key: 'a', caller: 2 });
    sink.complete();
    await nextTurn();
    expect(sink.batches).toEqual([[{ key: 'a', caller: 1 }], [{ key: 'a', caller: 2 }]]);
  });

  it('does not deduplicate items whose key is undefined', async () => {
    const executed: number[][] = [];
    const batcher = createBatcher<number, number>({
      execute: (items) => {
        executed.push([...items]);
        return items;
      },
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
      dedupeKey: (n) => (n > 100 ? 'big' : undefined),
    });
    await Promise.all([1, 1, 200, 300].map((n) => batcher.add(n)));
    expect(executed).toEqual([[1, 1, 200]]);
  });

  it('rejects only the add whose dedupeKey threw', async () => {
    const batcher = createBatcher<number, number>({
      execute: (items) => items,
      maxSize: 10,
      maxDelayMs: 0,
      maxPending: 100,
      dedupeKey: (n) => {
        if (n === 13) throw new Error('unlucky');
        return n;
      },
    });
    const outcomes = await Promise.allSettled([12, 13, 14].map((n) => batcher.add(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
