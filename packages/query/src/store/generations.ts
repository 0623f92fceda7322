import type { SinkProjectionStatus } from '@strata/core';
import type { Databases, StorageId } from '../storage/databases.js';
import { MetaKeys, readProjection, storageId } from '../storage/catalog.js';
import { checkGeneration } from './read-model-transaction.js';

/**
 * Blue/green generations of a projection's collections. Each function runs inside one write
 * transaction, so readers switch generations in one step.
 */

/**
 * Unlinks a generation's storage from every listed collection and marks it as garbage: its data is
 * cleared later in slices of their own transactions (and by the next open, after a crash).
 */
export function dropGeneration(dbs: Databases, collections: readonly string[], generation: number): StorageId[] {
  const sids: StorageId[] = [];
  for (const name of collections) {
    const sid = storageId(dbs, name, generation, false);
    if (sid === undefined) continue;
    dbs.meta.remove(MetaKeys.storage(name, generation));
    dbs.meta.put(MetaKeys.garbage(sid), true);
    sids.push(sid);
  }
  return sids;
}

/** Starts a new building generation (dropping an unpromoted one) and returns its number. */
export function beginGeneration(dbs: Databases, projection: string, collections: readonly string[]): number {
  const record = readProjection(dbs, projection);
  if (record.building !== undefined) dropGeneration(dbs, collections, record.building);
  const generation = Math.max(record.live, record.building ?? 0) + 1;
  const checkpoints = { ...record.checkpoints };
  if (record.building !== undefined) delete checkpoints[record.building];
  dbs.meta.put(MetaKeys.projection(projection), { live: record.live, building: generation, checkpoints });
  return generation;
}

/** Makes the building generation live with its checkpoint and marks the old live data as garbage. */
export function promoteGeneration(dbs: Databases, projection: string, generation: number, collections: readonly string[]): void {
  const record = readProjection(dbs, projection);
  if (record.building !== generation) checkGeneration(projection, generation, Number.NaN, record.building);
  dropGeneration(dbs, collections, record.live);
  const checkpoint = record.checkpoints[generation];
  dbs.meta.put(MetaKeys.projection(projection), {
    live: generation,
    building: undefined,
    checkpoints: checkpoint === undefined ? {} : { [generation]: checkpoint },
  });
}

/** Drops the building generation and its checkpoint. */
export function discardGeneration(dbs: Databases, projection: string, generation: number, collections: readonly string[]): void {
  const record = readProjection(dbs, projection);
  if (record.building !== generation) checkGeneration(projection, generation, Number.NaN, record.building);
  dropGeneration(dbs, collections, generation);
  const checkpoints = { ...record.checkpoints };
  delete checkpoints[generation];
  dbs.meta.put(MetaKeys.projection(projection), { live: record.live, building: undefined, checkpoints });
}

/** A projection's status as the sink contract reports it. */
export function projectionStatus(dbs: Databases, projection: string): SinkProjectionStatus {
  const record = readProjection(dbs, projection);
  return {
    liveGeneration: record.live,
    checkpoint: record.checkpoints[record.live],
    ...(record.building === undefined ? {} : { building: { generation: record.building, checkpoint: record.checkpoints[record.building] } }),
  };
}
