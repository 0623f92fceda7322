import { UnknownEventTypeError, type EventMetadata } from '@strata/core';
import type { EventTypePlan, EventVersionPlan, Upcaster } from './event-registry.js';

/** Versions up to this bound are also kept in an array (they are small integers in practice). */
const INDEXED_VERSIONS = 64;

/**
 * A compiled {@link EventTypePlan}. The upcaster chain of every readable version is resolved here,
 * once per registration, so reading an old event runs its upcasters without lookups.
 */
export class CompiledEventTypePlan implements EventTypePlan {
  readonly type: string;
  readonly currentVersion: number;
  readonly #versions: ReadonlyMap<number, EventVersionPlan>;
  /** The same registrations indexed by version, for the versions below {@link INDEXED_VERSIONS}. */
  readonly #indexed: readonly (EventVersionPlan | undefined)[];
  /** Lifts version v to the current one; absent when an upcaster of the chain is missing. */
  readonly #chains: ReadonlyMap<number, readonly Upcaster[]>;

  constructor(type: string, versions: ReadonlyMap<number, EventVersionPlan>, upcasters: ReadonlyMap<number, Upcaster>) {
    this.type = type;
    let current = 1;
    for (const version of versions.keys()) current = Math.max(current, version);
    for (const from of upcasters.keys()) current = Math.max(current, from + 1);
    this.currentVersion = current;
    this.#versions = versions;
    const indexed: (EventVersionPlan | undefined)[] = [];
    for (let version = 0; version <= Math.min(current, INDEXED_VERSIONS - 1); version++) indexed.push(versions.get(version));
    this.#indexed = indexed;
    // Only the unbroken run of upcasters below the current version leads to it.
    const chains = new Map<number, readonly Upcaster[]>();
    let chain: readonly Upcaster[] = [];
    for (let version = current - 1; version >= 1; version--) {
      const step = upcasters.get(version);
      if (step === undefined) break;
      chain = [step, ...chain];
      chains.set(version, chain);
    }
    this.#chains = chains;
    Object.freeze(this);
  }

  version(schemaVersion: number): EventVersionPlan | undefined {
    // Every decode asks for one: an array read is cheaper than a Map lookup.
    if (schemaVersion < this.#indexed.length) return this.#indexed[schemaVersion];
    return this.#versions.get(schemaVersion);
  }

  upcast(data: unknown, fromVersion: number, metadata: EventMetadata): unknown {
    if (fromVersion === this.currentVersion) return data;
    const chain = this.#chains.get(fromVersion);
    if (chain === undefined) {
      const reason = fromVersion > this.currentVersion ? 'newer_than_current' : 'missing_upcaster';
      throw new UnknownEventTypeError(this.type, {
        schemaVersion: fromVersion,
        details: { reason, currentVersion: this.currentVersion },
      });
    }
    let value = data;
    for (let i = 0; i < chain.length; i++) {
      value = (chain[i] as Upcaster)(value, { type: this.type, fromVersion: fromVersion + i, metadata });
    }
    return value;
  }
}
