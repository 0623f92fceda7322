import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckpointStore, EventStore, RecordedEvent, Subscription } from '@strata/core';
import type { TransferDriver } from './transfer-driver.js';

/** Options of {@link startTransferProcessManager}. */
export type TransferProcessManagerOptions = {
  store: EventStore;
  checkpoints: CheckpointStore;
  driver: TransferDriver;
  /** Checkpoint name (default `bank.transfer-process-manager`). */
  name?: string;
  /** Saves the checkpoint at most this often, in ms (default 250). */
  checkpointEveryMs?: number;
  /** This node's id, as the command metadata carries it. */
  nodeId: string;
  /**
   * How long a transfer requested on another node is left to that node before this one drives it
   * too, in ms (default 2000). Driving it at once would be safe, only wasteful: both nodes would
   * race to take the same steps.
   */
  foreignGraceMs?: number;
  /** Where to report a step that failed and will be retried (default `console.error`). */
  onError?: (error: unknown, transferId: string) => void;
};

/** A running transfer process manager. */
export interface TransferProcessManager {
  /** Position of the last transfer event handled (every transfer requested up to it is settled). */
  readonly position: number;
  /** Resolves once it has handled every transfer event committed when it started. */
  readonly caughtUp: Promise<void>;
  /** Stops after the event in hand and saves the checkpoint. */
  stop(): Promise<void>;
}

const RESUMABLE = ['TransferRequested', 'TransferCreditFailed'];

/**
 * Resumes transfers: a subscription to the transfer streams, from a durable checkpoint, that
 * settles every transfer it sees that is not final yet. HTTP requests settle their transfers
 * themselves; this is what finishes the ones a crash cut off (on startup, while catching up) and
 * the ones another node left behind (live). The checkpoint only moves past a transfer once it is
 * settled, so a crash never leaves one behind.
 */
export async function startTransferProcessManager(options: TransferProcessManagerOptions): Promise<TransferProcessManager> {
  const { store, checkpoints, driver } = options;
  const name = options.name ?? 'bank.transfer-process-manager';
  const everyMs = options.checkpointEveryMs ?? 250;
  const graceMs = options.foreignGraceMs ?? 2_000;
  const onError = options.onError ?? ((error, id) => console.error(`transfer ${id}: ${String(error)}; retrying`));
  const saved = await checkpoints.load(name);
  let handled = saved ?? -1;
  let savedPosition = handled;
  let stopping = false;
  const abort = new AbortController();
  let caughtUpResolve!: () => void;
  const caughtUp = new Promise<void>((resolve) => (caughtUpResolve = resolve));

  const save = async (): Promise<void> => {
    if (handled === savedPosition) return;
    const position = handled;
    await checkpoints.save(name, position);
    savedPosition = position;
  };
  const timer = setInterval(() => void save().catch(() => undefined), everyMs);
  timer.unref();

  const handler = async (event: RecordedEvent): Promise<void> => {
    const transferId = event.streamId.slice('transfer-'.length);
    if (event.metadata.node !== options.nodeId) {
      const wait = Math.min(graceMs, event.recordedAt.getTime() + graceMs - Date.now());
      if (wait > 0) await sleep(wait, undefined, { signal: abort.signal }).catch(() => undefined);
    }
    if (stopping) return;
    for (let attempt = 0; !stopping; attempt++) {
      try {
        await driver.settle(transferId, event.version);
        break;
      } catch (error) {
        if (stopping) return;
        onError(error, transferId);
        await sleep(Math.min(5_000, 50 * 2 ** attempt), undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
    if (!stopping) handled = event.position;
  };

  const subscription: Subscription = store.subscribe({
    from: handled + 1,
    filter: { categories: ['transfer'], types: RESUMABLE },
    handler,
    onCaughtUp: () => caughtUpResolve(),
    onError: (error) => console.error(`transfer process manager stopped: ${String(error)}`),
  });

  return {
    get position() {
      return handled;
    },
    caughtUp,
    async stop() {
      stopping = true;
      abort.abort();
      clearInterval(timer);
      await subscription.stop();
      await save().catch(() => undefined);
    },
  };
}
