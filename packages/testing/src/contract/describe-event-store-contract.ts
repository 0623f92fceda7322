import { afterEach, beforeEach, describe } from 'vitest';
import { InvalidArgumentError } from '@strata/core';
import { resolveContractOptions, type EventStoreContractOptions, type EventStoreFactory } from './contract-options.js';
import type { ContractCases, ContractContext } from './contract-context.js';
import { StoreHarness } from './store-harness.js';
import { appendReadCases } from './cases/append-read-cases.js';
import { expectedVersionCases } from './cases/expected-version-cases.js';
import { concurrencyCases } from './cases/concurrency-cases.js';
import { idempotencyCases } from './cases/idempotency-cases.js';
import { validationCases } from './cases/validation-cases.js';
import { readCases } from './cases/read-cases.js';
import { subscriptionDeliveryCases } from './cases/subscription-delivery-cases.js';
import { subscriptionControlCases } from './cases/subscription-control-cases.js';
import { streamLifecycleCases } from './cases/stream-lifecycle-cases.js';
import { snapshotCases } from './cases/snapshot-cases.js';
import { closeCases } from './cases/close-cases.js';
import { propertyCases } from './cases/property-cases.js';

const CASES: readonly ContractCases[] = [
  appendReadCases,
  expectedVersionCases,
  concurrencyCases,
  idempotencyCases,
  validationCases,
  readCases,
  subscriptionDeliveryCases,
  subscriptionControlCases,
  streamLifecycleCases,
  snapshotCases,
  closeCases,
];

/**
 * Registers the `EventStore` contract suite (a vitest `describe`) for one implementation. Every
 * Strata store must pass it unchanged; each case gets a fresh, empty store from `factory`, which
 * the suite closes and tears down afterwards.
 *
 * The semantics checked (see the package README for the full list):
 * - Appends are all-or-nothing; readers never observe part of one. Versions are 0-based and
 *   gapless; positions are 0-based and strictly increase in commit order (they need not be
 *   contiguous); `AppendResult.position` is the position of the last appended event.
 * - Expected versions: a number is the version of the last event (-1: none), `'no_stream'`,
 *   `'stream_exists'`, `'any'`; a failure is `WRONG_EXPECTED_VERSION` with `details.expected` and
 *   `details.actual`. Of concurrent appends with one exact expected version exactly one wins.
 * - Event ids are unique store-wide. A retry (every event's id stored in this stream at
 *   consecutive versions with the same content, sent with an expected version under which the
 *   original landed there, or `'any'`; after a soft delete the first append lands on an empty
 *   stream, so `'no_stream'` or -1) returns the original result and stores nothing; any other
 *   reuse of a stored id is `DUPLICATE_EVENT`.
 * - Bad input gets `INVALID_ARGUMENT` (empty append, invalid stream id, expected version, event
 *   shape, options, oversize event) or `SERIALIZATION_FAILED` (functions, cycles, symbols), and
 *   nothing is stored.
 * - `readStream` forward/backward with an inclusive `from` and `maxCount`; `readAll` with an
 *   inclusive `from`, `maxCount` and type/category filters.
 * - Subscriptions from `'start'`, a position (inclusive) or `'end'` deliver every matching event
 *   once, in position order, across the catch-up/live switch, with concurrent writers; a slow
 *   handler never blocks appends; `stop()`, `waitFor`, and a throwing handler rejecting `closed`.
 * - Soft delete hides a stream's events and keeps its version numbers (a later append continues
 *   at the next number and sees the stream as empty for expected versions); hard delete
 *   tombstones it (`STREAM_DELETED` on append, `setStreamMetadata`, `deleteStream`). Both drop
 *   the stream's snapshots.
 * - Snapshots: an older version never overwrites a newer one, another state schema version is
 *   ignored, and snapshot + tail equals a full replay.
 * - After `close()` (idempotent, stops subscriptions) every call fails with `STORE_CLOSED`.
 * - Property-based: random operation sequences agree with an independent model, and racing
 *   appends with random expected versions form a valid serialisation.
 *
 * @param name - the suite's title, e.g. `'LMDB store'`.
 * @param factory - creates a fresh, empty store; may register cleanup on its context.
 * @param options - teardown, the store's maximum event size, and property-test bounds.
 */
export function describeEventStoreContract(name: string, factory: EventStoreFactory, options: EventStoreContractOptions = {}): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError('name', 'expected a non-empty string');
  if (typeof factory !== 'function') throw new InvalidArgumentError('factory', 'expected a function returning an EventStore');
  const resolved = resolveContractOptions(options);
  const harness = new StoreHarness(factory, resolved);
  const context: ContractContext = { store: () => harness.store, harness, options: resolved };

  describe(`EventStore contract: ${name}`, () => {
    describe('cases', () => {
      beforeEach(() => harness.openCurrent());
      afterEach(() => harness.releaseCurrent());
      for (const cases of CASES) cases(context);
    });
    propertyCases(context);
  });
}
