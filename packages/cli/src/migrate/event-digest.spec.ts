import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { eventDigest } from './event-digest.js';

const base: RecordedEvent = {
  streamId: 'account-1',
  version: 3,
  position: 10,
  id: 'e-1',
  type: 'Deposited',
  data: { amount: 5, at: new Date(0), tags: ['a'], raw: new Uint8Array([1, 2]), big: 1n },
  metadata: { user: 'ann' },
  schemaVersion: 1,
  recordedAt: new Date(1_000),
};

describe('eventDigest', () => {
  it('ignores the position and the key order of objects; Buffers equal Uint8Arrays', () => {
    const reordered = { ...base, position: 99, data: { big: 1n, raw: Buffer.from([1, 2]), tags: ['a'], at: new Date(0), amount: 5 } };
    expect(eventDigest(reordered, true)).toBe(eventDigest(base, true));
  });

  it('changes with every preserved field', () => {
    const digest = eventDigest(base, true);
    const variants: Partial<RecordedEvent>[] = [
      { streamId: 'account-2' },
      { version: 4 },
      { id: 'e-2' },
      { type: 'Withdrawn' },
      { schemaVersion: 2 },
      { recordedAt: new Date(1_001) },
      { metadata: { user: 'bob' } },
      { data: { ...(base.data as object), amount: '5' } },
      { data: { ...(base.data as object), big: 2n } },
      { data: { ...(base.data as object), tags: ['a', 'b'] } },
      { data: { ...(base.data as object), at: new Date(1) } },
      { data: { ...(base.data as object), raw: new Uint8Array([1, 3]) } },
    ];
    for (const variant of variants) expect(eventDigest({ ...base, ...variant }, true), JSON.stringify(Object.keys(variant))).not.toBe(digest);
    expect(eventDigest({ ...base, recordedAt: new Date(5) }, false)).toBe(eventDigest(base, false));
  });

  it('tells null, undefined, an empty string and zero apart', () => {
    const digests = [null, undefined, '', 0, false, [], {}].map((data) => eventDigest({ ...base, data }, false));
    expect(new Set(digests).size).toBe(digests.length);
  });
});
