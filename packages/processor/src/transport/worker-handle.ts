import type { CommandRequest, FromWorker } from './protocol.js';

/** Callbacks a worker handle reports to. */
export type WorkerEvents = {
  /** A batch of answers. */
  onMessage(message: FromWorker): void;
  /** The worker died without being asked to close. */
  onCrash(reason: string): void;
};

/** The scheduler's view of one worker, in a pool thread or in the calling thread. */
export interface WorkerHandle {
  /** Resolves once the worker has opened its store and loaded the aggregates. */
  start(): Promise<void>;
  /** Sends a batch; throws (before anything is sent) when the batch cannot be cloned. */
  post(commands: CommandRequest[], drop: string[]): void;
  /** Asks the worker to finish and close its store; resolves once it has. */
  close(): Promise<void>;
}
