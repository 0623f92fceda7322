import { InvalidArgumentError } from '@strata/core';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { createInMemoryDeadLetterStore } from '../dead-letter/dead-letter-store.js';
import { integer, resolveProjection, type Projection } from '../projection/define-projection.js';
import { AsyncUnit, type LeaseSettings, type UnitContext } from './async-unit.js';
import { InlineWorker } from './inline-worker.js';
import { ProjectionRunner } from './projection-runner.js';
import type { ProjectionRunnerOptions } from './runner-options.js';

/**
 * Creates a projection runner. Validates every option (`INVALID_ARGUMENT` naming it); call
 * `start()` to run the projections.
 *
 * @example
 * const runner = createProjectionRunner({ store, checkpoints: store.checkpoints, projections: [balances] });
 * await runner.start();
 * const { position } = await store.append('account-1', [{ type: 'Deposited', data: { amount: 5 } }]);
 * await runner.waitFor(position);
 */
export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  const { store, checkpoints } = options;
  if (typeof store?.subscribe !== 'function' || typeof store.headPosition !== 'function') throw new InvalidArgumentError('store', 'expected an EventStore');
  if (typeof checkpoints?.load !== 'function' || typeof checkpoints.save !== 'function') throw new InvalidArgumentError('checkpoints', 'expected a CheckpointStore');
  const deadLetters = options.deadLetters ?? createInMemoryDeadLetterStore();
  if (typeof deadLetters?.park !== 'function' || typeof deadLetters.list !== 'function' || typeof deadLetters.remove !== 'function') {
    throw new InvalidArgumentError('deadLetters', 'expected a DeadLetterStore');
  }
  if (!Array.isArray(options.projections) || options.projections.length === 0) throw new InvalidArgumentError('projections', 'expected a non-empty array');
  const projections: Projection[] = options.projections.map((p, i) => resolveProjection<unknown>(p as Projection, `projections[${i}]`));
  const names = new Set<string>();
  for (const [i, projection] of projections.entries()) {
    if (names.has(projection.name)) throw new InvalidArgumentError(`projections[${i}].name`, `'${projection.name}' is used twice`);
    names.add(projection.name);
  }
  const leases = resolveLeases(options.leases);
  const context: UnitContext = {
    store,
    checkpoints,
    deadLetters,
    leases,
    rebuildBatchSize: integer(options.rebuildBatchSize, 'rebuildBatchSize', 10_000, 1, 1_000_000),
  };
  const metricsIntervalMs = integer(options.metricsIntervalMs, 'metricsIntervalMs', 1_000, 0, 3_600_000);
  const units: AsyncUnit[] = [];
  const inline: InlineWorker[] = [];
  for (const [i, projection] of projections.entries()) {
    if (projection.mode === 'inline') {
      if (leases !== undefined) throw new InvalidArgumentError(`projections[${i}].mode`, 'inline projections run in the writer of the append; they cannot be leased');
      if (projection.partitions !== 1) throw new InvalidArgumentError(`projections[${i}].partitions`, 'inline projections are not partitioned');
      inline.push(new InlineWorker(projection, store, `projection:${projection.name}`));
    } else {
      units.push(new AsyncUnit(projection, context));
    }
  }
  return new ProjectionRunner(store, units, inline, deadLetters, metricsIntervalMs);
}

function resolveLeases(given: ProjectionRunnerOptions['leases']): LeaseSettings | undefined {
  if (given === undefined) return undefined;
  if (typeof given !== 'object' || given === null) throw new InvalidArgumentError('leases', 'expected an object');
  const store = given.store;
  if (['acquire', 'renew', 'release', 'verify', 'list'].some((m) => typeof (store as unknown as Record<string, unknown>)?.[m] !== 'function')) {
    throw new InvalidArgumentError('leases.store', 'expected a LeaseStore');
  }
  const owner = given.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  if (typeof owner !== 'string' || owner.length === 0 || owner.length > 200) throw new InvalidArgumentError('leases.owner', 'expected a non-empty string');
  const ttlMs = integer(given.ttlMs, 'leases.ttlMs', 10_000, 50, 3_600_000);
  const renewIntervalMs = integer(given.renewIntervalMs, 'leases.renewIntervalMs', Math.max(10, Math.floor(ttlMs / 3)), 10, ttlMs - 1);
  return { store, owner, ttlMs, renewIntervalMs };
}
