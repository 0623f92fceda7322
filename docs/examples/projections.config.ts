import type { ProjectionRunnerOptions } from '@strata/projections';
import { createLmdbEventStore } from '@strata/store-lmdb';
import { accountOwners } from './projection.js';

/** What the application's runner and `strata projections --config` both build the projections from. */
export const owners = new Map<string, string>();

export default async function config(): Promise<ProjectionRunnerOptions & { close(): Promise<void> }> {
  const store = await createLmdbEventStore({ path: process.env['STORE_PATH'] ?? 'data/events' });
  return { store, checkpoints: store.checkpoints, projections: [accountOwners(owners)], close: () => store.close() };
}
