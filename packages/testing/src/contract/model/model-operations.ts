import fc from 'fast-check';
import type { EventData, EventFilter, ExpectedVersion } from '@strata/core';

/** Streams of the property-based runs: two categories, so category filters have work to do. */
export const MODEL_STREAMS = ['prop-a', 'prop-b', 'other-c'] as const;
const TYPES = ['Created', 'Changed'] as const;

/** One step of a property-based run. Plain data, so fast-check can print and shrink it. */
export type ModelOperation =
  | {
      kind: 'append';
      stream: string;
      events: EventData[];
      expected: ExpectedVersion;
      /** Send the same request again right away, as a client does when an acknowledgement is lost. */
      resend?: boolean;
    }
  | {
      kind: 'retry';
      /** How many appends back from the latest. */
      pick: number;
      expected: 'original' | ExpectedVersion;
      /** Resend unchanged, with other data in the first event, to another stream, or with one more event. */
      variant: 'same' | 'otherData' | 'otherStream' | 'extended';
    }
  | { kind: 'delete'; stream: string; hard: boolean; expected: ExpectedVersion }
  | { kind: 'setMetadata'; stream: string; metadata: Record<string, unknown> }
  | { kind: 'invalid'; stream: string; variant: 'empty' | 'duplicateIds' | 'badExpected' | 'unserializable' }
  | { kind: 'readStream'; stream: string; direction: 'forward' | 'backward'; from?: number; maxCount?: number }
  | { kind: 'readAll'; fromPick?: number; maxCount?: number; filter?: EventFilter }
  | { kind: 'streamInfo'; stream: string };

const stream = fc.constantFrom(...MODEL_STREAMS);

// Biased towards 'any' so that runs grow streams deep enough for the other forms to matter.
const expectedVersion: fc.Arbitrary<ExpectedVersion> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<ExpectedVersion>('any') },
  { weight: 2, arbitrary: fc.constantFrom<ExpectedVersion>('no_stream', 'stream_exists') },
  { weight: 3, arbitrary: fc.integer({ min: -1, max: 5 }) },
);

// Few distinct payloads, so a reused id often carries the same content (a retry) and sometimes not.
const payload = fc.oneof(fc.constant(null), fc.record({ n: fc.integer({ min: 0, max: 2 }) }), fc.constant(['x', { y: true }]));

const eventData: fc.Arbitrary<EventData> = fc
  .record({
    type: fc.constantFrom(...TYPES),
    data: payload,
    // A few hot ids collide by accident (cross-stream and other-content duplicates); a wider pool
    // keeps fresh ids available late in a run, so appends with ids keep succeeding.
    id: fc.option(
      fc.oneof(
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((n) => `hot-${n}`) },
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 60 }).map((n) => `id-${n}`) },
      ),
      { nil: undefined, freq: 3 },
    ),
    metadata: fc.option(fc.constantFrom({}, { by: 'a' }), { nil: undefined, freq: 2 }),
    schemaVersion: fc.option(fc.constantFrom(1, 2), { nil: undefined, freq: 2 }),
  })
  .map((e) => {
    const built: EventData = { type: e.type, data: e.data };
    if (e.id !== undefined) built.id = e.id;
    if (e.metadata !== undefined) built.metadata = e.metadata;
    if (e.schemaVersion !== undefined) built.schemaVersion = e.schemaVersion;
    return built;
  });

/** Events of one append; an id used twice keeps only its first use (repeats are a separate case). */
const batch = fc.array(eventData, { minLength: 1, maxLength: 3 }).map((events) => {
  const seen = new Set<string>();
  return events.map((e) => {
    if (e.id === undefined) return e;
    if (seen.has(e.id)) {
      const { id: _dropped, ...rest } = e;
      return rest;
    }
    seen.add(e.id);
    return e;
  });
});

const filter: fc.Arbitrary<EventFilter | undefined> = fc.option(
  fc.record(
    {
      types: fc.subarray([...TYPES]),
      categories: fc.subarray(['prop', 'other']),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const count = fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined });

/** Random operations, weighted towards appends and retries, which is where the rules live. */
export const modelOperation: fc.Arbitrary<ModelOperation> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record(
      {
        kind: fc.constant('append' as const),
        stream,
        events: batch,
        expected: expectedVersion,
        resend: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      },
      { requiredKeys: ['kind', 'stream', 'events', 'expected'] },
    ),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('retry' as const),
      // Counted back from the latest append: retries of recent appends are the interesting ones.
      pick: fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 2 }) }, { weight: 1, arbitrary: fc.nat({ max: 30 }) }),
      expected: fc.oneof({ weight: 2, arbitrary: fc.constant('original' as const) }, { weight: 1, arbitrary: expectedVersion }),
      variant: fc.oneof(
        { weight: 4, arbitrary: fc.constant('same' as const) },
        { weight: 1, arbitrary: fc.constantFrom('otherData' as const, 'otherStream' as const, 'extended' as const) },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      stream,
      hard: fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      expected: expectedVersion,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('setMetadata' as const),
      stream,
      metadata: fc.constantFrom({}, { owner: 'a' }, { owner: 'b', tags: ['t'] }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('invalid' as const),
      stream,
      variant: fc.constantFrom('empty' as const, 'duplicateIds' as const, 'badExpected' as const, 'unserializable' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('readStream' as const),
        stream,
        direction: fc.constantFrom('forward' as const, 'backward' as const),
        from: fc.integer({ min: 0, max: 8 }),
        maxCount: fc.integer({ min: 0, max: 6 }),
      },
      { requiredKeys: ['kind', 'stream', 'direction'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      { kind: fc.constant('readAll' as const), fromPick: fc.nat({ max: 30 }), maxCount: count, filter },
      { requiredKeys: ['kind'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('streamInfo' as const), stream }) },
);
