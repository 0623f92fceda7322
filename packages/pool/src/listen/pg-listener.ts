import pg from 'pg';
import type { RetryPolicy } from '../retry/retry-policy.js';
import { backoffDelay } from '../retry/retry-policy.js';
import type { ListenOptions, PgListener } from './listener-types.js';

type ListenerConfig = {
  clientConfig: pg.ClientConfig;
  channel: string;
  onNotify: (payload: string) => void;
  options: ListenOptions;
  backoff: RetryPolicy;
};

/**
 * Holds one connection outside the pool for LISTEN (a pooled connection would be handed to other
 * callers). When it fails it reconnects with jittered backoff, listens again, and reports the
 * reconnect so that missed notifications can be made up for by reading.
 */
export class ReconnectingListener implements PgListener {
  readonly channel: string;
  readonly #config: ListenerConfig;
  #client: pg.Client | undefined;
  #listening = false;
  #closed = false;
  #retry = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(config: ListenerConfig) {
    this.#config = config;
    this.channel = config.channel;
  }

  get listening(): boolean {
    return this.#listening;
  }

  /** Connects and listens; rejects when the first attempt fails (later failures reconnect). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listening = false;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#config.clientConfig);
    // Registered before connecting: an error event without a listener would crash the process.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, undefined));
    client.on('notification', (message) => {
      if (message.channel === this.channel && !this.#closed) this.#config.onNotify(message.payload ?? '');
    });
    this.#client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    } catch (error) {
      this.#client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#listening = true;
    this.#retry = 0;
  }

  #lost(client: pg.Client, error: unknown): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = undefined;
    this.#listening = false;
    if (error !== undefined) this.#config.options.onError?.(error);
    client.end().catch(() => undefined);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#retry++;
    const delay = Math.max(10, backoffDelay(this.#config.backoff, this.#retry));
    this.#timer = setTimeout(() => {
      this.#connect().then(
        () => {
          if (this.#listening) this.#config.options.onReconnect?.();
        },
        (error: unknown) => {
          this.#config.options.onError?.(error);
          this.#schedule();
        },
      );
    }, delay);
    this.#timer.unref();
  }
}
