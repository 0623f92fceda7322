import { ErrorCodes, isStrataError, openStoreDescriptor, SerializationError, StrataError, type EventStore } from '@strata/core';
import { toWire } from '../errors/wire-error.js';
import type { FromWorker, ToWorker, WorkerTask } from '../transport/protocol.js';
import { importAggregates } from './load-aggregates.js';
import { importPipeline, type LoadedPipeline } from './load-pipeline.js';
import { WorkerEngine } from './worker-engine.js';

/**
 * The task a pool thread runs for the processor's lifetime: opens its own store from the
 * descriptor, imports the aggregates module, then serves batches on its private port until told
 * to close. The returned promise settles when the worker has drained and closed its store; the
 * pool rejects it instead when the thread dies, which is how the scheduler learns of a crash.
 */
export default async function serve(task: WorkerTask): Promise<void> {
  const { port } = task;
  let aggregates: Awaited<ReturnType<typeof importAggregates>>;
  let opened: EventStore | undefined;
  let loaded: LoadedPipeline | undefined;
  try {
    aggregates = await importAggregates(task.aggregates);
    loaded = task.pipeline === undefined ? undefined : await importPipeline(task.pipeline);
    opened = await openStoreDescriptor(task.store);
    // The pipeline's plugins start in every worker, with the worker's store.
    await loaded?.start({ store: opened, worker: task.slot });
  } catch (error) {
    await loaded?.close().catch(() => undefined);
    await opened?.close().catch(() => undefined);
    // The pool would hand back a plain copy of the error; its code travels on the port.
    const typed = isStrataError(error) ? error : new StrataError(ErrorCodes.STORE_FAILURE, `The worker could not start: ${String(error)}`, { cause: error });
    port.postMessage({ t: 'failed', error: toWire(typed) } satisfies FromWorker);
    port.close();
    throw error;
  }
  const store = opened;
  const send = (message: FromWorker): void => post(port, message);
  const engine = new WorkerEngine({
    store,
    aggregates,
    pipeline: loaded?.pipeline,
    stateCacheSize: task.stateCacheSize,
    maxRetries: task.maxRetries,
    wireErrors: true,
    send,
  });
  await new Promise<void>((resolve) => {
    port.on('message', (message: ToWorker) => {
      if (message.t === 'run') engine.run(message.commands, message.drop);
      else if (message.t === 'close') resolve();
    });
    port.postMessage({ t: 'ready' } satisfies FromWorker);
  });
  await engine.drain();
  port.close();
  try {
    await loaded?.close();
  } finally {
    await store.close();
  }
}

/**
 * Posts an answer batch. A decider may return events that cannot be cloned (they were accepted by
 * a store that serialises differently); rather than losing the whole batch, such answers are sent
 * one by one and the ones that still fail are answered with `SERIALIZATION_FAILED`.
 */
function post(port: WorkerTask['port'], message: FromWorker): void {
  try {
    port.postMessage(message);
    return;
  } catch (error) {
    if (message.t !== 'done') throw error;
  }
  for (const failure of message.failed) port.postMessage({ ...message, ok: [], failed: [failure] });
  for (const success of message.ok) {
    try {
      port.postMessage({ ...message, ok: [success], failed: [] });
    } catch (error) {
      const wire = toWire(new SerializationError('the command succeeded but its events cannot be sent back to the caller (not structured-cloneable)', { cause: error }));
      port.postMessage({ ...message, ok: [], failed: [[success[0], wire]] });
    }
  }
}
