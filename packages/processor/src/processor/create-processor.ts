import { Piscina } from 'piscina';
import { openStoreDescriptor, isStoreDescriptor, type EventStore, type StoreDescriptor } from '@strata/core';
import { Scheduler } from '../scheduler/scheduler.js';
import { InlineWorker } from '../transport/inline-worker.js';
import { ThreadWorker } from '../transport/thread-worker.js';
import { collectAggregates, importAggregates } from '../worker/load-aggregates.js';
import { importPipeline } from '../worker/load-pipeline.js';
import { Processor } from './processor.js';
import { resolveProcessorOptions, type ProcessorOptions } from './processor-options.js';

const WORKER_ENTRY = new URL('../worker/worker-entry.js', import.meta.url).href;

/**
 * Creates a command processor: `workers` threads (each with its own store instance opened from
 * the descriptor and its own hot state cache), or with `workers: 0` the same engine in the calling
 * thread. Resolves once every worker has opened its store and loaded the aggregates. Fails with
 * `INVALID_ARGUMENT` naming the first bad option.
 */
export async function createProcessor(options: ProcessorOptions): Promise<Processor> {
  const resolved = resolveProcessorOptions(options);
  const aggregates = typeof resolved.aggregates === 'string' ? await importAggregates(resolved.aggregates) : collectAggregates(resolved.aggregates, 'aggregates');
  const holder: { processor?: Processor } = {};
  const onCapacity = (): void => holder.processor?.admitWaiting();
  const maxTrackedStreams = Math.max(1024, resolved.stateCacheSize * Math.max(1, resolved.workers));
  let scheduler: Scheduler;
  let onClose: () => Promise<void>;

  if (resolved.workers === 0) {
    const ownsStore = isStoreDescriptor(resolved.store);
    const loaded = typeof resolved.pipeline === 'string' ? await importPipeline(resolved.pipeline) : undefined;
    const store = ownsStore ? await openStoreDescriptor(resolved.store as StoreDescriptor) : (resolved.store as EventStore);
    try {
      await loaded?.start({ store, worker: 0 });
    } catch (error) {
      await loaded?.close().catch(() => undefined);
      if (ownsStore) await store.close();
      throw error;
    }
    const pipeline = loaded?.pipeline ?? (typeof resolved.pipeline === 'string' ? undefined : resolved.pipeline);
    const settings = { stateCacheSize: resolved.stateCacheSize, maxRetries: resolved.maxRetries, pipeline, plugins: loaded };
    scheduler = new Scheduler({
      slots: 1,
      stealing: undefined,
      maxTrackedStreams,
      onCapacity,
      createWorker: (_slot, events) => new InlineWorker(store, ownsStore, aggregates, settings, events),
    });
    onClose = () => Promise.resolve();
    await scheduler.start();
  } else {
    const pool = new Piscina({
      filename: WORKER_ENTRY,
      minThreads: resolved.workers,
      maxThreads: resolved.workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      atomics: 'disabled',
      recordTiming: false,
    });
    const task = {
      store: resolved.store as StoreDescriptor,
      aggregates: resolved.aggregates as string,
      pipeline: resolved.pipeline as string | undefined,
      stateCacheSize: resolved.stateCacheSize,
      maxRetries: resolved.maxRetries,
    };
    scheduler = new Scheduler({
      slots: resolved.workers,
      stealing: resolved.stealing,
      maxTrackedStreams,
      onCapacity,
      createWorker: (slot, events) => new ThreadWorker(pool, { ...task, slot }, events),
    });
    onClose = () => pool.destroy();
    try {
      await scheduler.start();
    } catch (error) {
      await onClose();
      throw error;
    }
  }
  holder.processor = new Processor(resolved, scheduler, new Set(aggregates.keys()), onClose);
  return holder.processor;
}
