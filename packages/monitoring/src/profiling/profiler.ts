import { createWriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { InvalidArgumentError, OverloadedError, StoreClosedError } from '@strata/core';

/** What a capture records. */
export type ProfileKind = 'cpu' | 'heap-snapshot' | 'heap-sampling';

/** A finished capture: a file Chrome DevTools opens (Performance or Memory panel). */
export type ProfileResult = {
  kind: ProfileKind;
  /** Absolute path of the `.cpuprofile`, `.heapsnapshot` or `.heapprofile` file. */
  path: string;
  bytes: number;
  /** How long the capture ran, in ms (shorter than asked when the monitor closed meanwhile). */
  durationMs: number;
  /** When the capture started (epoch ms). */
  startedAt: number;
};

/** Settings of a {@link Profiler}. */
export type ProfilerOptions = {
  /** Directory profiles are written to (created on first use). */
  dir: string;
  /** Longest capture accepted, in ms. */
  maxDurationMs: number;
};

const EXTENSIONS: Record<ProfileKind, string> = { cpu: 'cpuprofile', 'heap-snapshot': 'heapsnapshot', 'heap-sampling': 'heapprofile' };

/**
 * On-demand CPU profiles, heap snapshots and heap sampling profiles through an in-process
 * `node:inspector` session. One capture runs at a time: profiles of overlapping windows would
 * share the same V8 profiler and both be wrong.
 */
export class Profiler {
  readonly #dir: string;
  readonly #maxDurationMs: number;
  #busy: ProfileKind | undefined;
  #stopWaiting: (() => void) | undefined;
  #closed = false;

  constructor(options: ProfilerOptions) {
    this.#dir = options.dir;
    this.#maxDurationMs = options.maxDurationMs;
  }

  /** The capture in progress, if any. */
  get busy(): ProfileKind | undefined {
    return this.#busy;
  }

  /** Records a CPU profile for `durationMs` (sampling every `samplingIntervalUs`, default 1000 µs). */
  cpu(durationMs: number, samplingIntervalUs = 1000): Promise<ProfileResult> {
    this.#checkDuration(durationMs);
    return this.#run('cpu', async (session, started) => {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
      await session.post('Profiler.start');
      await this.#wait(durationMs);
      const { profile } = await session.post('Profiler.stop');
      await session.post('Profiler.disable');
      return this.#writeJson('cpu', started, profile);
    });
  }

  /** Samples allocations for `durationMs`: what allocated the memory that is still live. */
  heapSampling(durationMs: number, samplingIntervalBytes = 32_768): Promise<ProfileResult> {
    this.#checkDuration(durationMs);
    return this.#run('heap-sampling', async (session, started) => {
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', { samplingInterval: samplingIntervalBytes });
      await this.#wait(durationMs);
      const { profile } = await session.post('HeapProfiler.stopSampling');
      await session.post('HeapProfiler.disable');
      return this.#writeJson('heap-sampling', started, profile);
    });
  }

  /** Writes a heap snapshot. The process pauses while V8 walks the heap (seconds for large heaps). */
  heapSnapshot(): Promise<ProfileResult> {
    return this.#run('heap-snapshot', async (session, started) => {
      const path = await this.#path('heap-snapshot', started);
      const file = createWriteStream(path);
      const onChunk = (message: { params: { chunk: string } }): void => {
        file.write(message.params.chunk);
      };
      session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
      try {
        await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      } finally {
        session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
        await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
      }
      return this.#result('heap-snapshot', path, started);
    });
  }

  /** Ends a capture's wait early (its profile is still written) and refuses new captures. */
  close(): void {
    this.#closed = true;
    this.#stopWaiting?.();
  }

  #checkDuration(durationMs: number): void {
    if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs <= 0 || durationMs > this.#maxDurationMs) {
      throw new InvalidArgumentError('durationMs', `expected a duration from 1 to ${this.#maxDurationMs} ms`);
    }
  }

  async #run(kind: ProfileKind, capture: (session: Session, started: number) => Promise<ProfileResult>): Promise<ProfileResult> {
    if (this.#closed) throw new StoreClosedError('monitor');
    if (this.#busy !== undefined) throw new OverloadedError(`profiler (capturing ${this.#busy})`, 1);
    this.#busy = kind;
    const session = new Session();
    session.connect();
    try {
      return await capture(session, Date.now());
    } finally {
      session.disconnect();
      this.#busy = undefined;
    }
  }

  #wait(durationMs: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#stopWaiting = undefined;
        resolve();
      };
      const timer = setTimeout(done, durationMs);
      this.#stopWaiting = done;
    });
  }

  async #path(kind: ProfileKind, started: number): Promise<string> {
    await mkdir(this.#dir, { recursive: true });
    const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
    return join(this.#dir, `${kind}-${stamp}-${process.pid}.${EXTENSIONS[kind]}`);
  }

  async #writeJson(kind: ProfileKind, started: number, profile: unknown): Promise<ProfileResult> {
    const path = await this.#path(kind, started);
    await writeFile(path, JSON.stringify(profile));
    return this.#result(kind, path, started);
  }

  async #result(kind: ProfileKind, path: string, started: number): Promise<ProfileResult> {
    const { size } = await stat(path);
    return { kind, path, bytes: size, durationMs: Date.now() - started, startedAt: started };
  }
}
