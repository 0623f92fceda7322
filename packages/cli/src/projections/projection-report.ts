import { isStrataError } from '@strata/core';
import { defineProjection, type Projection, type ProjectionDefinition } from '@strata/projections';
import type { ProjectionsConfig } from './load-config.js';

/** The persisted state of one projection, as `strata projections status` prints it. */
export type ProjectionReport = {
  name: string;
  mode: 'async' | 'inline';
  /** Event types and categories it handles. */
  handles: { types?: readonly string[]; categories?: readonly string[] };
  /** Whether its writes and checkpoint commit together in a sink (exactly once). */
  sink: boolean;
  /** Last position applied (the lowest over its partitions); `null` before its first batch. */
  position: number | null;
  /** Committed positions beyond `position` (the log's distance, not a count of matching events). */
  lag: number;
  /** The sink generation readers see. */
  liveGeneration: number;
  /** A rebuild that has not been promoted (under way, or interrupted). */
  building: { generation: number; position: number | null } | null;
  partitions: { scope: string; position: number | null }[];
  /** Parked events, when the config gives a dead-letter store. */
  deadLetters: number | null;
};

/**
 * Reads each projection's saved state without running anything: sink status (generation,
 * checkpoint, a generation being built) or the checkpoint store, the log's head, dead letters.
 */
export async function readProjectionReports(config: ProjectionsConfig): Promise<{ head: number; projections: ProjectionReport[] }> {
  const head = await config.store.headPosition();
  const reports: ProjectionReport[] = [];
  for (const definition of config.projections) {
    const projection = defineProjection(definition as unknown as ProjectionDefinition) as Projection;
    const scopes = projection.partitions === 1 ? [projection.name] : Array.from({ length: projection.partitions }, (_, p) => `${projection.name}#${p}`);
    const partitions: ProjectionReport['partitions'] = [];
    let liveGeneration = 0;
    let building: ProjectionReport['building'] = null;
    for (const scope of scopes) {
      if (projection.sink !== undefined) {
        const status = await projection.sink.status(scope);
        liveGeneration = status.liveGeneration;
        if (status.building !== undefined) building = { generation: status.building.generation, position: status.building.checkpoint ?? null };
        partitions.push({ scope, position: status.checkpoint ?? null });
      } else {
        // Inline projections keep their checkpoint beside the events under this name.
        const name = projection.mode === 'inline' ? `projection:${scope}` : scope;
        partitions.push({ scope, position: (await config.checkpoints.load(name)) ?? null });
      }
    }
    const positions = partitions.map((p) => p.position);
    const position = positions.some((p) => p === null) ? null : Math.min(...(positions as number[]));
    reports.push({
      name: projection.name,
      mode: projection.mode,
      handles: projection.filter,
      sink: projection.sink !== undefined,
      position,
      lag: Math.max(0, head - (position ?? -1)),
      liveGeneration,
      building,
      partitions,
      deadLetters: await countDeadLetters(config, projection.name),
    });
  }
  return { head, projections: reports };
}

async function countDeadLetters(config: ProjectionsConfig, name: string): Promise<number | null> {
  if (config.deadLetters === undefined) return null;
  try {
    return (await config.deadLetters.list(name)).length;
  } catch (error) {
    if (isStrataError(error)) throw error;
    return null;
  }
}
