import type { DecidedEvent, DomainEvent, StoreDescriptor, EventStore } from '@strata/core';
import { createProcessor, type Processor } from '@strata/processor';
import type { AggregateName, CommandBus, ExecuteOptions, ExecuteResult } from './command-bus.js';

/** Options of {@link createProcessorCommandBus}. */
export type ProcessorCommandBusOptions = {
  /** What worker threads open; with `workers: 0` the open store is used instead. */
  descriptor: StoreDescriptor;
  store: EventStore;
  /** Worker threads; 0 runs the processor's engine in this thread. */
  workers: number;
};

/** Conflicts with other nodes on a hot stream: each retry reloads fresh state. */
const MAX_RETRIES = 25;

/**
 * A {@link CommandBus} on `@strata/processor`: each stream owned by one worker thread that keeps
 * its state hot and runs its commands one at a time, appends of a turn sharing a group commit.
 * Workers load the deciders from the aggregates module by URL.
 */
export class ProcessorCommandBus implements CommandBus {
  readonly kind: string;
  readonly #processor: Processor;

  constructor(processor: Processor, workers: number) {
    this.#processor = processor;
    this.kind = workers === 0 ? '@strata/processor, in-thread' : `@strata/processor, ${workers} worker threads`;
  }

  /** The processor, for its stats. */
  get processor(): Processor {
    return this.#processor;
  }

  async execute(aggregate: AggregateName, streamId: string, command: unknown, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    // The request's correlation id becomes the command context's; the pipeline stamps it (and the
    // command id as the causation id) on every event.
    const correlationId = options.metadata?.correlationId;
    const result = await this.#processor.execute(aggregate, streamId, command, {
      ...options,
      ...(typeof correlationId === 'string' ? { context: { correlationId } } : {}),
    });
    return { events: result.events as readonly DecidedEvent<DomainEvent>[], nextExpectedVersion: result.nextExpectedVersion, position: result.position };
  }

  close(): Promise<void> {
    return this.#processor.close();
  }
}

/** Starts the processor (and its worker threads) and wraps it as a {@link CommandBus}. */
export async function createProcessorCommandBus(options: ProcessorCommandBusOptions): Promise<CommandBus> {
  const aggregates = new URL('../domain/aggregates.js', import.meta.url);
  // Middleware and enrichers (the bank's plugins), loaded by every worker like the aggregates.
  const pipeline = new URL('../plugins/bank-plugins.js', import.meta.url);
  const processor =
    options.workers === 0
      ? await createProcessor({ store: options.store, aggregates, pipeline, workers: 0, maxRetries: MAX_RETRIES, onOverload: 'wait' })
      : await createProcessor({ store: options.descriptor, aggregates, pipeline, workers: options.workers, maxRetries: MAX_RETRIES, onOverload: 'wait' });
  return new ProcessorCommandBus(processor, options.workers);
}
