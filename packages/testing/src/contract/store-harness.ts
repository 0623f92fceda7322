import { randomBytes } from 'node:crypto';
import type { EventStore } from '@strata/core';
import type { EventStoreFactory, ResolvedContractOptions, StoreFactoryContext } from './contract-options.js';

type OpenStore = {
  store: EventStore;
  context: StoreFactoryContext;
  cleanups: (() => void | Promise<void>)[];
};

let counter = 0;

/** A store id unique across processes: `strata_<pid>_<n>_<random>`. */
function nextStoreId(): string {
  counter++;
  return `strata_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`;
}

/**
 * Creates stores through the user's factory and tears them down again. Teardown closes the store
 * (close is idempotent, so cases that closed it themselves are fine), then runs the user's
 * `teardown`, then the cleanups registered on the context in reverse order.
 */
export class StoreHarness {
  readonly #factory: EventStoreFactory;
  readonly #options: ResolvedContractOptions;
  #current: OpenStore | undefined;

  constructor(factory: EventStoreFactory, options: ResolvedContractOptions) {
    this.#factory = factory;
    this.#options = options;
  }

  /** The store of the running test case. */
  get store(): EventStore {
    if (this.#current === undefined) throw new Error('No store is open: the contract cases run inside the suite only');
    return this.#current.store;
  }

  /** Opens the store of a test case (called by `beforeEach`). */
  async openCurrent(): Promise<void> {
    this.#current = await this.#open();
  }

  /** Tears down the store of a test case (called by `afterEach`). */
  async releaseCurrent(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    if (current !== undefined) await this.#release(current);
  }

  /** Runs `body` with a fresh store of its own and always tears it down (property-based runs). */
  async withStore<T>(body: (store: EventStore) => Promise<T>): Promise<T> {
    const opened = await this.#open();
    let failed = false;
    try {
      return await body(opened.store);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // A teardown failure must not hide the failure of the body.
      await this.#release(opened).catch((error: unknown) => {
        if (!failed) throw error;
      });
    }
  }

  async #open(): Promise<OpenStore> {
    const cleanups: (() => void | Promise<void>)[] = [];
    const context: StoreFactoryContext = Object.freeze({
      id: nextStoreId(),
      onTeardown(cleanup: () => void | Promise<void>) {
        if (typeof cleanup !== 'function') throw new TypeError('onTeardown expects a function');
        cleanups.push(cleanup);
      },
    });
    let store: EventStore;
    try {
      store = await this.#factory(context);
    } catch (error) {
      await runCleanups(cleanups);
      throw error;
    }
    const opened = { store, context, cleanups };
    let head: number;
    try {
      head = await store.headPosition();
    } catch (error) {
      await this.#release(opened).catch(() => undefined);
      throw error;
    }
    if (head !== -1) {
      await this.#release(opened);
      throw new Error(`The store factory must return a fresh, empty store; this one has headPosition ${head}`);
    }
    return opened;
  }

  async #release(opened: OpenStore): Promise<void> {
    const errors: unknown[] = [];
    await opened.store.close().catch((error: unknown) => errors.push(error));
    if (this.#options.teardown !== undefined) {
      await Promise.resolve()
        .then(() => this.#options.teardown?.(opened.store, opened.context))
        .catch((error: unknown) => errors.push(error));
    }
    errors.push(...(await runCleanups(opened.cleanups)));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Store teardown failed');
  }
}

async function runCleanups(cleanups: (() => void | Promise<void>)[]): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      errors.push(error);
    }
  }
  return errors;
}
