import { InvalidArgumentError, UnknownEventTypeError } from '@strata/core';
import type {
  EventRegistry,
  EventTypePlan,
  EventTypeRegistration,
  EventVersionPlan,
  Upcaster,
  UpcasterRegistration,
} from './event-registry.js';
import { CompiledEventTypePlan } from './event-type-plan.js';
import { resolveProtobufSchema } from './protobuf-schema.js';

/** Options of {@link createEventRegistry}. */
export type EventRegistryOptions = {
  /** Refuse types that were never registered with `UNKNOWN_EVENT_TYPE` (default false). */
  strict?: boolean;
};

const MAX_TYPE_LENGTH = 200;
/** Schema versions are stored in four bytes. */
const MAX_SCHEMA_VERSION = 0xffffffff;
const CONTROL = /[\u0000-\u001f\u007f]/;

type TypeEntry = {
  versions: Map<number, EventVersionPlan>;
  upcasters: Map<number, Upcaster>;
};

class StrataEventRegistry implements EventRegistry {
  readonly strict: boolean;
  readonly #entries = new Map<string, TypeEntry>();
  readonly #plans = new Map<string, EventTypePlan>();
  // Reads come in runs of one type (and the decoders pass the same cached string each time): the
  // last lookup is answered without a Map lookup. Every registration forgets it.
  #lastType: string | undefined;
  #lastPlan: EventTypePlan | undefined;

  constructor(strict: boolean) {
    this.strict = strict;
  }

  register(registration: EventTypeRegistration): this {
    if (typeof registration !== 'object' || registration === null) {
      throw new InvalidArgumentError('registration', 'expected an object');
    }
    const type = checkType(registration.type, 'registration.type');
    const schemaVersion = checkVersion(registration.schemaVersion ?? 1, 'registration.schemaVersion');
    const { validate } = registration;
    if (validate !== undefined && typeof validate !== 'function') {
      throw new InvalidArgumentError('registration.validate', 'expected a function');
    }
    const protobuf =
      registration.protobuf === undefined ? undefined : resolveProtobufSchema(registration.protobuf, 'registration.protobuf');
    const entry = this.#entry(type);
    if (entry.versions.has(schemaVersion)) {
      throw new InvalidArgumentError('registration', `'${type}' version ${schemaVersion} is already registered`);
    }
    entry.versions.set(schemaVersion, Object.freeze({ schemaVersion, protobuf, validate }));
    this.#compile(type, entry);
    return this;
  }

  registerUpcaster(registration: UpcasterRegistration): this {
    if (typeof registration !== 'object' || registration === null) {
      throw new InvalidArgumentError('upcaster', 'expected an object');
    }
    const type = checkType(registration.type, 'upcaster.type');
    const fromVersion = checkVersion(registration.fromVersion, 'upcaster.fromVersion');
    if (fromVersion >= MAX_SCHEMA_VERSION) {
      throw new InvalidArgumentError('upcaster.fromVersion', `must be below ${MAX_SCHEMA_VERSION}`);
    }
    if (typeof registration.upcast !== 'function') {
      throw new InvalidArgumentError('upcaster.upcast', 'expected a function');
    }
    const entry = this.#entry(type);
    if (entry.upcasters.has(fromVersion)) {
      throw new InvalidArgumentError('upcaster', `'${type}' already has an upcaster from version ${fromVersion}`);
    }
    entry.upcasters.set(fromVersion, registration.upcast);
    this.#compile(type, entry);
    return this;
  }

  has(type: string): boolean {
    return this.#plans.has(type);
  }

  currentVersion(type: string): number {
    const plan = this.#plans.get(type);
    if (plan === undefined) throw new UnknownEventTypeError(String(type));
    return plan.currentVersion;
  }

  types(): string[] {
    return [...this.#plans.keys()];
  }

  lookup(type: string): EventTypePlan | undefined {
    if (type === this.#lastType) return this.#lastPlan;
    const plan = this.#plans.get(type);
    this.#lastType = type;
    this.#lastPlan = plan;
    return plan;
  }

  #entry(type: string): TypeEntry {
    let entry = this.#entries.get(type);
    if (entry === undefined) {
      entry = { versions: new Map(), upcasters: new Map() };
      this.#entries.set(type, entry);
    }
    return entry;
  }

  #compile(type: string, entry: TypeEntry): void {
    this.#plans.set(type, new CompiledEventTypePlan(type, new Map(entry.versions), new Map(entry.upcasters)));
    this.#lastType = this.#lastPlan = undefined;
  }
}

function checkType(type: unknown, option: string): string {
  if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE_LENGTH || CONTROL.test(type)) {
    throw new InvalidArgumentError(option, `expected a non-empty string of at most ${MAX_TYPE_LENGTH} printable characters`);
  }
  return type;
}

function checkVersion(version: unknown, option: string): number {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MAX_SCHEMA_VERSION) {
    throw new InvalidArgumentError(option, `expected an integer from 1 to ${MAX_SCHEMA_VERSION}`);
  }
  return version;
}

/**
 * Creates an event registry: event types keyed by type and schema version, each optionally with a
 * protobuf schema and a validator, plus the upcasters that lift old versions on read.
 *
 * @example
 * const registry = createEventRegistry({ strict: true })
 *   .register({ type: 'MoneyDeposited', schemaVersion: 2 })
 *   .registerUpcaster({ type: 'MoneyDeposited', fromVersion: 1, upcast: (d) => ({ ...(d as object), currency: 'EUR' }) });
 */
export function createEventRegistry(options: EventRegistryOptions = {}): EventRegistry {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'expected an object');
  }
  const { strict = false } = options;
  if (typeof strict !== 'boolean') throw new InvalidArgumentError('strict', 'expected a boolean');
  return new StrataEventRegistry(strict);
}
