import type { StoreDescriptor } from '@strata/core';
import type { CommandBus } from '../commands/command-bus.js';
import { createProcessorCommandBus } from '../commands/processor-command-bus.js';
import type { BankConfig } from '../config/load-config.js';
import type { BankEventStore } from './open-event-store.js';

/** The command bus: `@strata/processor` with `WORKERS` worker threads (0: in this thread). */
export async function createCommandBus(config: BankConfig, store: BankEventStore, descriptor: StoreDescriptor): Promise<CommandBus> {
  return createProcessorCommandBus({ descriptor, store, workers: config.workers });
}
