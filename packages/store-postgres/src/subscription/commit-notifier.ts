import type { PgListener, PgPool } from '@strata/pool';
import { statement, type Statement } from '../schema/store-context.js';

/** Settings of the wake-ups. */
export type NotifierOptions = {
  /** Send NOTIFY after local appends, so subscribers on other nodes wake up. */
  notify: boolean;
  /** Least time between two NOTIFYs of this node, in ms (appends in between share one). */
  notifyIntervalMs: number;
  /** Subscribers re-read at least this often, in case a notification was lost. */
  pollIntervalMs: number;
};

// synchronous_commit is turned off for this one transaction: a wake-up need not wait for a disk flush.
const NOTIFY: Statement = statement("SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, $2)");

/**
 * Wakes subscriptions when something may have been committed. It is only ever a wake-up: a woken
 * subscription reads the log, which is the one source of truth, so a lost or duplicated wake-up
 * costs a read, never an event.
 *
 * - Appends of this store instance wake its subscriptions at once.
 * - Other nodes are told with NOTIFY, sent after the append committed, outside its transaction,
 *   at most once per `notifyIntervalMs` per node. NOTIFY inside the append would make commits wait
 *   for each other (PostgreSQL serialises the commits of notifying transactions).
 * - This node LISTENs (one dedicated connection, opened with the first subscription) and wakes
 *   its subscriptions on every notification from another node and after a reconnect.
 * - A timer wakes them every `pollIntervalMs` while any are running, in case of a lost notification.
 */
export class CommitNotifier {
  readonly #pool: PgPool;
  readonly #channel: string;
  readonly #node: string;
  readonly #options: NotifierOptions;
  readonly #listeners = new Set<() => void>();
  #listen: Promise<PgListener | undefined> | undefined;
  #poll: NodeJS.Timeout | undefined;
  #notifyTimer: NodeJS.Timeout | undefined;
  #notifying = false;
  #pending = false;
  #lastNotify = 0;
  #closed = false;

  constructor(pool: PgPool, channel: string, node: string, options: NotifierOptions) {
    this.#pool = pool;
    this.#channel = channel;
    this.#node = node;
    this.#options = options;
  }

  /** Registers a wake-up; returns the function that removes it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    this.#ensureListening();
    if (this.#poll === undefined) {
      this.#poll = setInterval(() => {
        this.#ensureListening();
        this.wake();
      }, this.#options.pollIntervalMs);
      this.#poll.unref();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        clearInterval(this.#poll);
        this.#poll = undefined;
      }
    };
  }

  /** Wakes every local subscription. */
  wake(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Called after a local append committed: wakes local subscriptions now, other nodes soon. */
  committed(): void {
    this.wake();
    if (!this.#options.notify || this.#closed) return;
    this.#pending = true;
    this.#schedule();
  }

  /** Stops timers and the LISTEN connection. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poll);
    clearTimeout(this.#notifyTimer);
    this.#listeners.clear();
    const listener = await this.#listen;
    await listener?.close();
  }

  /** Opens the LISTEN connection; after a failure (the server was down) the next poll tries again. */
  #ensureListening(): void {
    if (this.#listen !== undefined || this.#closed) return;
    this.#listen = this.#pool
      .listen(this.#channel, (payload) => payload !== this.#node && this.wake(), { onReconnect: () => this.wake() })
      .catch(() => {
        this.#listen = undefined;
        return undefined;
      });
  }

  #schedule(): void {
    if (this.#notifying || this.#notifyTimer !== undefined || !this.#pending) return;
    const delay = Math.max(0, this.#lastNotify + this.#options.notifyIntervalMs - Date.now());
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = undefined;
      void this.#send();
    }, delay);
    this.#notifyTimer.unref();
  }

  async #send(): Promise<void> {
    if (this.#closed) return;
    this.#pending = false;
    this.#notifying = true;
    this.#lastNotify = Date.now();
    try {
      await this.#pool.query(NOTIFY, [this.#channel, this.#node]);
    } catch {
      // A lost wake-up is made up for by the subscribers' poll.
    } finally {
      this.#notifying = false;
      this.#schedule();
    }
  }
}
