import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { fromWire } from '../errors/wire-error.js';
import type { CommandRequest, FromWorker, ToWorker, WorkerTask } from './protocol.js';
import type { WorkerEvents, WorkerHandle } from './worker-handle.js';

/**
 * A worker on a pool thread: one long-running piscina task per thread, talking over a private
 * `MessageChannel`. Piscina owns the thread's lifecycle (start-up, replacement of a dead thread);
 * the processor's scheduler owns which commands go where.
 */
export class ThreadWorker implements WorkerHandle {
  readonly #pool: Piscina;
  readonly #task: Omit<WorkerTask, 'port'>;
  readonly #events: WorkerEvents;
  #port: MessagePort | undefined;
  #task$: Promise<void> | undefined;
  #closing = false;

  constructor(pool: Piscina, task: Omit<WorkerTask, 'port'>, events: WorkerEvents) {
    this.#pool = pool;
    this.#task = task;
    this.#events = events;
  }

  start(): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      port1.on('message', (message: FromWorker) => {
        if (message.t === 'ready') {
          ready = true;
          resolve();
        } else if (message.t === 'failed') {
          reject(fromWire(message.error));
        } else {
          this.#events.onMessage(message);
        }
      });
      // A worker that cannot start posts its typed error on the port, then closes it; the pool's
      // settlement travels on another channel and can overtake that message. Messages arrive before
      // their port's 'close', so the pool's outcome is used only once the port has closed and no
      // typed error came first (a `reject` after the first is a no-op). A task that failed before
      // the worker's code ran never closes the port: a second bounds the wait.
      let portClosed = false;
      port1.once('close', () => {
        portClosed = true;
      });
      const afterPort = (fail: () => void): void => {
        if (portClosed) return fail();
        port1.once('close', fail);
        setTimeout(() => {
          port1.close();
          fail();
        }, 1_000).unref();
      };
      const payload: WorkerTask = { ...this.#task, port: port2 };
      this.#task$ = this.#pool.run(payload, { transferList: [port2] }) as Promise<void>;
      this.#task$.then(
        () => {
          if (!ready) afterPort(() => reject(new Error('the worker ended before it was ready')));
          else if (!this.#closing) this.#events.onCrash('the worker task ended unexpectedly');
        },
        (error: unknown) => {
          if (!ready) {
            afterPort(() => reject(error instanceof Error ? error : new Error(String(error))));
            return;
          }
          port1.close();
          if (!this.#closing) this.#events.onCrash(error instanceof Error ? error.message : String(error));
        },
      );
    });
  }

  post(commands: CommandRequest[], drop: string[]): void {
    this.#port!.postMessage({ t: 'run', commands, drop } satisfies ToWorker);
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#port?.postMessage({ t: 'close' } satisfies ToWorker);
    try {
      await this.#task$;
    } finally {
      this.#port?.close();
    }
  }
}
