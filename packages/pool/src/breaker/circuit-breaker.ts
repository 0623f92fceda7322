import OpossumBreaker from 'opossum';
import { CircuitOpenError, StoreClosedError } from '@strata/core';
import type { BreakerState } from '../diagnostics/pool-message.js';
import type { BreakerTransitions, ResolvedBreakerOptions } from './breaker-options.js';

type Work = () => Promise<unknown>;

/**
 * A circuit breaker around opossum. Calls run through {@link CircuitBreaker.run}; a failure that
 * `tripsBreaker` accepts counts against the server, every other outcome counts as a success (a
 * constraint violation says nothing about the server's health). While open, calls fail at once
 * with `CIRCUIT_OPEN`; after `resetTimeoutMs` one trial call is let through (half-open) and its
 * outcome closes or reopens the breaker.
 */
export class CircuitBreaker {
  readonly #name: string;
  readonly #breaker: OpossumBreaker<[Work], unknown>;
  #state: BreakerState = 'closed';
  readonly #transitions: BreakerTransitions = { open: 0, halfOpen: 0, closed: 0 };

  constructor(
    name: string,
    options: ResolvedBreakerOptions,
    tripsBreaker: (error: unknown) => boolean,
    onTransition: (state: BreakerState) => void,
  ) {
    this.#name = name;
    this.#breaker = new OpossumBreaker<[Work], unknown>((work: Work) => work(), {
      name,
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      rollingCountTimeout: options.windowMs,
      rollingCountBuckets: 10,
      resetTimeout: options.resetTimeoutMs,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      errorFilter: (error: unknown) => !tripsBreaker(error),
    });
    const enter = (state: BreakerState) => () => {
      this.#state = state;
      this.#transitions[state === 'closed' ? 'closed' : state]++;
      onTransition(state);
    };
    this.#breaker.on('open', enter('open'));
    this.#breaker.on('halfOpen', enter('halfOpen'));
    this.#breaker.on('close', enter('closed'));
  }

  /** The current state. */
  get state(): BreakerState {
    return this.#state;
  }

  /** Transitions so far, per state entered. */
  get transitions(): Readonly<BreakerTransitions> {
    return { ...this.#transitions };
  }

  /** Runs `work` unless the breaker is open (then rejects with `CIRCUIT_OPEN` without calling it). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return (await this.#breaker.fire(work)) as T;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'EOPENBREAKER') throw new CircuitOpenError(this.#name);
      if (code === 'ESHUTDOWN') throw new StoreClosedError(`pool '${this.#name}'`);
      throw error;
    }
  }

  /** Stops the breaker's timers. Later calls reject with `STORE_CLOSED`. */
  shutdown(): void {
    this.#breaker.shutdown();
  }
}
