import type { EventStore, CheckpointStore } from '@strata/core';
import { createProjectionRunner, defineProjection, type ProjectionRunner } from '@strata/projections';

/**
 * A projection without a sink keeps its checkpoint in the store's checkpoints and applies each
 * event at least once: the handler must be idempotent (here a set keyed by stream). With a sink
 * (`@strata/query`'s read-model store, or `createPostgresProjectionSink`) writes and checkpoint
 * commit together and every event is applied exactly once.
 */
export function accountOwners(owners: Map<string, string>) {
  return defineProjection({
    name: 'account-owners',
    handles: ['AccountOpened'],
    handle(event) {
      owners.set(event.streamId, (event.data as { owner: string }).owner);
    },
  });
}

/** Starts a runner for the projection; `runner.waitFor(position)` gives read-your-writes. */
export async function startOwnersProjection(store: EventStore & { checkpoints: CheckpointStore }, owners: Map<string, string>): Promise<ProjectionRunner> {
  const runner = createProjectionRunner({ store, checkpoints: store.checkpoints, projections: [accountOwners(owners)] });
  await runner.start();
  return runner;
}
