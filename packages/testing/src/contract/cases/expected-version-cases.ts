import { describe, expect, it } from 'vitest';
import type { EventStore, ExpectedVersion } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, events, expectCode } from '../contract-helpers.js';

type VersionCase = {
  name: string;
  /** Events in the stream before the append; `undefined` means the stream was never written. */
  existing: number | undefined;
  expected: ExpectedVersion;
  /** The stream's actual version reported by a failure; `undefined` when the append succeeds. */
  failsWithActual?: number;
};

const CASES: VersionCase[] = [
  { name: "'any' on a new stream", existing: undefined, expected: 'any' },
  { name: "'any' on an existing stream", existing: 3, expected: 'any' },
  { name: "'no_stream' on a new stream", existing: undefined, expected: 'no_stream' },
  { name: "'no_stream' on an existing stream", existing: 3, expected: 'no_stream', failsWithActual: 2 },
  { name: "'stream_exists' on a new stream", existing: undefined, expected: 'stream_exists', failsWithActual: -1 },
  { name: "'stream_exists' on an existing stream", existing: 3, expected: 'stream_exists' },
  { name: '-1 on a new stream', existing: undefined, expected: -1 },
  { name: '-1 on an existing stream', existing: 3, expected: -1, failsWithActual: 2 },
  { name: 'the exact current version', existing: 3, expected: 2 },
  { name: 'a stale version', existing: 3, expected: 1, failsWithActual: 2 },
  { name: 'a version ahead of the stream', existing: 3, expected: 5, failsWithActual: 2 },
  { name: '0 on a new stream', existing: undefined, expected: 0, failsWithActual: -1 },
];

async function seed(store: EventStore, stream: string, existing: number | undefined): Promise<void> {
  if (existing !== undefined) await store.append(stream, events(existing, 'Seeded'));
}

/** The four expected-version forms, success and failure, and what a failure carries. */
export const expectedVersionCases: ContractCases = ({ store, options }) => {
  describe('expected versions', () => {
    for (const c of CASES) {
      const outcome = c.failsWithActual === undefined ? 'succeeds' : 'fails with WRONG_EXPECTED_VERSION';
      it(`${c.name} ${outcome}`, async () => {
        const s = store();
        await seed(s, 'account-1', c.existing);
        const before = await collect(s.readStream('account-1'));
        if (c.failsWithActual === undefined) {
          const result = await s.append('account-1', events(2, 'Appended'), { expectedVersion: c.expected });
          expect(result.nextExpectedVersion).toBe((c.existing ?? 0) + 1);
          const after = await collect(s.readStream('account-1'));
          expect(after.map((e) => [e.version, e.type])).toEqual([
            ...before.map((e) => [e.version, e.type]),
            [before.length, 'Appended'],
            [before.length + 1, 'Appended'],
          ]);
          return;
        }
        const error = await expectCode(
          () => s.append('account-1', events(2, 'Appended'), { expectedVersion: c.expected }),
          'WRONG_EXPECTED_VERSION',
          c.name,
        );
        expect(error.details, 'the error carries the stream, the expected and the actual version').toMatchObject({
          streamId: 'account-1',
          expected: c.expected,
          actual: c.failsWithActual,
        });
        const after = await collect(s.readStream('account-1'));
        expect(after.map((e) => e.id), 'a failed append stores nothing').toEqual(before.map((e) => e.id));
        expect((await s.streamInfo('account-1'))?.version ?? -1).toBe(c.failsWithActual);
      }, options.timeoutMs);
    }

    it('defaults to any when no expected version is given', async () => {
      const s = store();
      await s.append('account-1', events(1));
      await s.append('account-1', events(1), {});
      const result = await s.append('account-1', events(1));
      expect(result.nextExpectedVersion).toBe(2);
    }, options.timeoutMs);

    it('chains: each nextExpectedVersion is accepted as the next expected version', async () => {
      const s = store();
      let expected: ExpectedVersion = 'no_stream';
      for (let i = 0; i < 5; i++) {
        const result = await s.append('account-1', events(i + 1), { expectedVersion: expected });
        expected = result.nextExpectedVersion;
      }
      expect(expected).toBe(14);
      await expectCode(() => s.append('account-1', events(1), { expectedVersion: 13 }), 'WRONG_EXPECTED_VERSION', 'stale');
    }, options.timeoutMs);
  });
};
