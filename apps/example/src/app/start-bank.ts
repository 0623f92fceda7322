import { createMonitor, type Monitor } from '@strata/monitoring';
import type { CommandBus } from '../commands/command-bus.js';
import type { BankConfig } from '../config/load-config.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { BankServer } from '../http/bank-server.js';
import type { ReadSide } from '../read/read-side.js';
import { TransferDriver } from '../transfers/transfer-driver.js';
import { startTransferProcessManager, type TransferProcessManager } from '../transfers/transfer-process-manager.js';
import { createCommandBus } from './create-command-bus.js';
import { createReadSide } from './create-read-side.js';
import { openEventStore, storeDescriptor, type BankEventStore } from './open-event-store.js';

/** A running bank. */
export interface RunningBank {
  /** Base URL of the HTTP API. */
  readonly url: string;
  readonly port: number;
  readonly store: BankEventStore;
  readonly bus: CommandBus;
  readonly readSide: ReadSide;
  readonly monitor: Monitor;
  /** Graceful shutdown: stop accepting, drain requests and transfers, close everything. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the bank: the event store the configuration names, the command bus, the transfer process
 * manager (which first resumes transfers a crash cut off), the read models, the monitor and the
 * HTTP API. Resources opened before a failure are closed again.
 */
export async function startBank(config: BankConfig): Promise<RunningBank> {
  const cleanup: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error('shutdown:', error));
    cleanup.length = 0;
  };
  try {
    const monitor = createMonitor({
      title: 'Strata sample bank',
      alerts: [
        { name: 'slow commands', when: 'p99(strata_command_duration_seconds) > 50ms for 30s' },
        { name: 'slow requests', when: 'p99(bank_http_request_duration_seconds) > 250ms for 30s' },
      ],
      logger: false,
    });
    cleanup.push(() => monitor.close());
    const descriptor = storeDescriptor(config);
    const store = await openEventStore(descriptor);
    cleanup.push(() => store.close());
    const bus = await createCommandBus(config, store, descriptor);
    cleanup.push(() => bus.close());
    const driver = new TransferDriver(bus, store, config.nodeId);
    cleanup.push(() => driver.drain());
    const readSide = await createReadSide(config, store);
    cleanup.push(() => readSide.close());
    const processManager: TransferProcessManager = await startTransferProcessManager({ store, checkpoints: store.checkpoints, driver, nodeId: config.nodeId });
    cleanup.push(() => processManager.stop());
    const server = new BankServer({
      services: { store, bus, driver, readSide, nodeId: config.nodeId },
      idempotency: new IdempotencyStore(store),
      monitor,
      token: config.token,
      maxBodyBytes: config.maxBodyBytes,
    });
    const address = await server.listen(config.port, config.host);
    cleanup.push(() => server.close());
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${address.port}`,
      port: address.port,
      store,
      bus,
      readSide,
      monitor,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
