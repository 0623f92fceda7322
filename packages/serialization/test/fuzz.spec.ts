import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createRecordView, readRecordHeader, type SerializationFormat, type Serializer } from '../src/index.js';
import { craftEvent, craftRecord, craftValue } from './support/envelopes.js';
import { outcomeOf } from './support/errors.js';
import { sampleRecord } from './support/events.js';
import { FORMATS, sampleSerializer } from './support/formats.js';

/**
 * Every decoder, fed random bytes, truncations and bit flips of valid encodings, either returns a
 * value or throws a Strata error: never another error, never a hang (the test timeout bounds
 * every property).
 */

/** Runs per property; raise it for a longer local fuzzing session: FUZZ_RUNS=20000. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 400);

/** Decodes `bytes` every way a reader can, reading every field of the results. */
function decodeEverything(serializer: Serializer, bytes: Uint8Array): string[] {
  return [
    outcomeOf(() => serializer.decodeRecord(bytes)),
    outcomeOf(() => serializer.decodeEvent(bytes)),
    outcomeOf(() => serializer.decodeValue(bytes)),
    outcomeOf(() => {
      const view = readRecordHeader(bytes);
      return [view.type, view.streamId, view.id, view.position, view.version, view.recordedAt, view.payload];
    }),
    outcomeOf(() => serializer.decodeRecord(readRecordHeader(bytes))),
  ];
}

function expectOnlyStrataOutcomes(outcomes: string[]): void {
  for (const outcome of outcomes) expect(outcome).toMatch(/^(ok|SERIALIZATION_FAILED|UNKNOWN_EVENT_TYPE|INVALID_ARGUMENT)$/);
}

type Encodings = { record: Uint8Array; event: Uint8Array; value: Uint8Array };

function encodings(serializer: Serializer): Encodings {
  const record = sampleRecord();
  return {
    record: serializer.encodeRecord(record),
    event: serializer.encodeEvent({ type: record.type, data: record.data, metadata: record.metadata }),
    value: serializer.encodeValue({ balance: 1, owner: 'ada', log: [1, 2, { at: 3 }] }),
  };
}

const pickEncoding = fc.constantFrom<keyof Encodings>('record', 'event', 'value');

function flipBits(bytes: Uint8Array, positions: readonly number[]): Uint8Array {
  const copy = new Uint8Array(bytes);
  for (const bit of positions) {
    const index = bit % (copy.length * 8);
    copy[index >> 3] = (copy[index >> 3] as number) ^ (1 << (index & 7));
  }
  return copy;
}

afterAll(() => {
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

describe.each(FORMATS)('%s decoders under fuzzing', (format: SerializationFormat) => {
  const serializer = sampleSerializer(format);
  const valid = encodings(serializer);

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expectOnlyStrataOutcomes(decodeEverything(serializer, bytes))), {
      numRuns: RUNS,
    });
  });

  it('random payloads inside well-formed envelopes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), fc.constantFrom('MoneyDeposited', 'Other'), (payload, meta, type) => {
        const crafted = [
          craftRecord({ format, payload, hasMetadata: meta, type }),
          craftEvent(format, payload, type, meta),
          craftValue(format === 'protobuf' ? 'json' : format, payload),
        ];
        for (const bytes of crafted) expectOnlyStrataOutcomes(decodeEverything(serializer, bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it('truncations of valid encodings fail cleanly', () => {
    fc.assert(
      fc.property(pickEncoding, fc.nat(), (which, cut) => {
        const bytes = valid[which];
        const truncated = bytes.subarray(0, cut % bytes.length);
        const outcomes = decodeEverything(serializer, truncated);
        expectOnlyStrataOutcomes(outcomes);
        // Every envelope carries its length: no truncation decodes.
        expect(outcomes.filter((outcome) => outcome === 'ok')).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('bit flips of valid encodings', () => {
    fc.assert(
      fc.property(pickEncoding, fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (which, bits) => {
        expectOnlyStrataOutcomes(decodeEverything(serializer, flipBits(valid[which], bits)));
      }),
      { numRuns: RUNS },
    );
  });

  it('with checksums, every bit flip is detected', () => {
    const sealed = sampleSerializer(format, { checksum: true });
    const sealedValid = encodings(sealed);
    fc.assert(
      fc.property(pickEncoding, fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 3 }), (which, bits) => {
        const bytes = sealedValid[which];
        const flipped = flipBits(bytes, bits.map((bit) => bit % (bytes.length * 8)));
        fc.pre(flipped.some((byte, i) => byte !== bytes[i]));
        expect(outcomeOf(() => sealed.decodeRecord(flipped))).toBe('SERIALIZATION_FAILED');
        expect(outcomeOf(() => sealed.decodeEvent(flipped))).toBe('SERIALIZATION_FAILED');
        expect(outcomeOf(() => sealed.decodeValue(flipped))).toBe('SERIALIZATION_FAILED');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('record view under fuzzing', () => {
  it('a reused view survives any sequence of good and bad records', () => {
    const serializer = sampleSerializer('msgpack');
    const good = serializer.encodeRecord(sampleRecord());
    const view = createRecordView();
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(good), fc.uint8Array({ maxLength: 80 })), { maxLength: 10 }), (inputs) => {
        for (const bytes of inputs) {
          const outcome = outcomeOf(() => view.reset(bytes).type);
          expect(outcome).toMatch(/^(ok|SERIALIZATION_FAILED)$/);
        }
        expect(view.reset(good).type).toBe('MoneyDeposited');
      }),
      { numRuns: 200 },
    );
  });
});
