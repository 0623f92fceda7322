import { Packr, RESERVE_START_SPACE } from 'msgpackr';
import { describe, expect, it } from 'vitest';

/**
 * The msgpackr behaviour this package relies on, pinned so that an upgrade that changes it fails
 * here rather than in production.
 */

type Structures = unknown[] & { sharedLength?: number; restoreStructures?: unknown };

function structuresOf(packr: Packr): Structures {
  return (packr as unknown as { structures: Structures }).structures;
}

describe('msgpackr behaviour', () => {
  it('leaves the reserved start of the output free and never overwrites returned buffers', () => {
    const packr = new Packr({ useRecords: true });
    const first = packr.pack({ a: 1 }, RESERVE_START_SPACE | 40);
    first.fill(7, 0, 40);
    const copy = Buffer.from(first);
    for (let i = 0; i < 2000; i++) packr.pack({ a: i, b: 'x'.repeat(i % 50) }, RESERVE_START_SPACE | 40);
    expect(first).toEqual(copy);
    expect(packr.unpack(first, { start: 40, end: first.length })).toEqual({ a: 1 });
  });

  it('keeps shapes a payload defines inline past sharedLength after unpacking it', () => {
    const shared: object[] = [];
    const writer = new Packr({ useRecords: true, structures: shared, maxSharedStructures: 1 });
    writer.pack({ shared: 1 });
    const inline = writer.pack({ other: 1 });
    const reader = new Packr({ useRecords: true, structures: [...shared] });
    reader.unpack(writer.pack({ shared: 2 }));
    expect(structuresOf(reader).length).toBe(structuresOf(reader).sharedLength);
    reader.unpack(inline);
    expect(structuresOf(reader).length).toBeGreaterThan(structuresOf(reader).sharedLength ?? 0);
  });

  it('marks a payload that redefined a shared shape through restoreStructures', () => {
    const shared: object[] = [];
    new Packr({ useRecords: true, structures: shared }).pack({ shared: 1 });
    // A self-describing writer defines its first shape under the id the reader shares.
    const foreign = new Packr({ useRecords: true }).pack({ __proto__: null, other: 1 });
    const reader = new Packr({ useRecords: true, structures: [...shared] });
    expect(structuresOf(reader).restoreStructures).toBeUndefined();
    expect(reader.unpack(foreign)).toEqual({ other: 1 });
    expect(structuresOf(reader).restoreStructures).not.toBeUndefined();
  });

  it('reads a __proto__ key as __proto_, never as a prototype', () => {
    const bytes = new Packr({ useRecords: true }).pack(JSON.parse('{"__proto__": {"polluted": 1}}'));
    const decoded = new Packr({ useRecords: true }).unpack(bytes) as object;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto_']);
  });
});

describe('msgpackr string writing', () => {
  it('writes lone surrogates of short strings as ED A0-BF, and long strings natively', () => {
    const packr = new Packr({ useRecords: true });
    const short = packr.pack('a\ud800');
    expect([...short.subarray(2)]).toEqual([0xed, 0xa0, 0x80]);
    const long = packr.pack(`${'a'.repeat(70)}\ud800`);
    expect([...long.subarray(long.length - 3)]).toEqual([0xef, 0xbf, 0xbd]);
  });
});
