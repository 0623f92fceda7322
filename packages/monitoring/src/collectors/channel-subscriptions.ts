import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ChannelNames } from '@strata/core';

/** A key of `ChannelNames` from `@strata/core`: `'append'`, `'command'`, `'cache'` … */
export type ChannelKey = keyof typeof ChannelNames;

/** Every channel key, in the order of `ChannelNames`. */
export const CHANNEL_KEYS = Object.keys(ChannelNames) as ChannelKey[];

type Listener = (message: unknown, name: string | symbol) => void;

/**
 * The diagnostics-channel subscriptions of one collector, limited to the channels the monitor was
 * told to observe. Subscribing through the module-level `subscribe` keeps the channel alive for
 * as long as the subscription, and `clear` restores `hasSubscribers === false`, so publishers go
 * back to paying one branch.
 */
export class ChannelSubscriptions {
  readonly #enabled: ReadonlySet<ChannelKey>;
  #active: Array<[string, Listener]> = [];

  constructor(enabled: ReadonlySet<ChannelKey>) {
    this.#enabled = enabled;
  }

  /** Subscribes `listener` to the channel `key`, if that channel is enabled. */
  add(key: ChannelKey, listener: Listener): void {
    if (!this.#enabled.has(key)) return;
    const name = ChannelNames[key];
    subscribe(name, listener);
    this.#active.push([name, listener]);
  }

  /** Unsubscribes everything `add` subscribed. */
  clear(): void {
    for (const [name, listener] of this.#active) unsubscribe(name, listener);
    this.#active = [];
  }
}
