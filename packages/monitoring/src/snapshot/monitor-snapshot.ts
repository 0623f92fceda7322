import type { Alert } from '../alerts/alert-types.js';
import type { BatchStats } from '../collectors/batch-collector.js';
import type { CacheStats } from '../collectors/cache-collector.js';
import type { CommandStats } from '../collectors/command-collector.js';
import type { PoolStats } from '../collectors/pool-collector.js';
import type { ProcessorStats } from '../collectors/processor-collector.js';
import type { ProjectionStats } from '../collectors/projection-collector.js';
import type { QueryStats } from '../collectors/query-collector.js';
import type { RuntimeStats } from '../collectors/runtime-collector.js';
import type { SerializationStats } from '../collectors/serialization-collector.js';
import type { StoreStats } from '../collectors/store-collector.js';

/**
 * Everything the monitor knows at one sample, as served by `/snapshot`, streamed to the dashboard
 * and `strata-top`, and returned by `monitor.sample()`. Rates are per second and latencies are
 * percentiles in ms, both over the last sampling interval; `totals` count since start.
 */
export type MonitorSnapshot = {
  /** Shape version of this object; bumped when a field changes meaning. */
  version: 1;
  /** The monitor's title (dashboard heading). */
  title: string;
  /** When the sample was taken (epoch ms, from the monitor's clock). */
  time: number;
  /** Length of the interval the rates and percentiles cover, in ms. */
  intervalMs: number;
  /** Time since the monitor was created, in ms. */
  uptimeMs: number;
  process: { pid: number; hostname: string; node: string };
  /** `null` when the runtime collector is disabled. */
  runtime: RuntimeStats | null;
  store: StoreStats;
  commands: CommandStats;
  processor: ProcessorStats;
  cache: CacheStats;
  pools: PoolStats;
  batches: BatchStats;
  projections: ProjectionStats;
  queries: QueryStats;
  serialization: SerializationStats;
  /** Active alerts: firing first, then pending. */
  alerts: Alert[];
  /** Recently resolved alerts, newest first. */
  resolvedAlerts: Alert[];
  /** Whether `/profile/*` endpoints are served, and the capture in progress. */
  profiling: { endpoint: boolean; busy: string | null };
};
