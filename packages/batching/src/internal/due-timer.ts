/**
 * A one-shot wake-up after `delayMs`, or at the end of the current event-loop turn when the delay
 * is 0. `setImmediate` rather than a microtask marks the turn's end: it runs after every promise
 * continuation queued in the turn, so callers resuming from the same I/O event still join in.
 */
export class DueTimer {
  readonly #delayMs: number;
  readonly #onDue: () => void;
  #handle: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;

  constructor(delayMs: number, onDue: () => void) {
    this.#delayMs = delayMs;
    this.#onDue = onDue;
  }

  /** True between `arm` and the wake-up (or `disarm`). */
  get armed(): boolean {
    return this.#handle !== undefined;
  }

  /** Schedules the wake-up; a no-op while already armed. */
  arm(): void {
    if (this.#handle !== undefined) return;
    this.#handle = this.#delayMs === 0 ? setImmediate(this.#fire) : setTimeout(this.#fire, this.#delayMs);
  }

  /** Cancels a scheduled wake-up, if any. */
  disarm(): void {
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    if (this.#delayMs === 0) clearImmediate(handle as ReturnType<typeof setImmediate>);
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  readonly #fire = (): void => {
    this.#handle = undefined;
    this.#onDue();
  };
}
