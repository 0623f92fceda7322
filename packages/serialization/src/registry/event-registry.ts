import type { EventMetadata } from '@strata/core';
import type { Type } from 'protobufjs';

/**
 * Checks an event's data before it is written. Return `false` or throw to refuse the data; the
 * serializer then fails with `SERIALIZATION_FAILED` (a thrown error becomes its `cause`). Any
 * schema library fits: `(data) => schema.parse(data)` throws on invalid data.
 */
export type EventValidator = (data: unknown) => boolean | void;

/**
 * A Protocol Buffers schema for one event type and schema version: a protobufjs message `Type`,
 * or the text of a `.proto` file plus the (fully qualified) name of the message in it.
 */
export type ProtobufSchema =
  | Type
  | {
      /** The `.proto` source text. */
      proto: string;
      /** The message name, e.g. `bank.MoneyDeposited`. */
      message: string;
      /** Keep field names as written instead of converting them to camelCase (protobufjs default: false). */
      keepCase?: boolean;
    };

/** What {@link EventRegistry.register} takes. */
export type EventTypeRegistration = {
  /** The event type, e.g. `'MoneyDeposited'`. */
  type: string;
  /** The schema version this registration describes (default 1). */
  schemaVersion?: number;
  /** Required to serialize this type and version with the `protobuf` format; ignored by the others. */
  protobuf?: ProtobufSchema;
  /** Runs on every encode of this type and version. */
  validate?: EventValidator;
};

/** What an upcaster is told besides the data it lifts. */
export type UpcastContext = {
  readonly type: string;
  /** The version of the data passed in; the upcaster returns data of version `fromVersion + 1`. */
  readonly fromVersion: number;
  readonly metadata: Readonly<EventMetadata>;
};

/**
 * Lifts data of one schema version to the next. Receives a freshly decoded value that nobody
 * else holds, so it may modify and return it.
 */
export type Upcaster = (data: unknown, context: UpcastContext) => unknown;

/** What {@link EventRegistry.registerUpcaster} takes. */
export type UpcasterRegistration = {
  type: string;
  /** The version it reads; it returns data of `fromVersion + 1`. */
  fromVersion: number;
  upcast: Upcaster;
};

/** What the registry knows about one schema version of a type. */
export type EventVersionPlan = {
  readonly schemaVersion: number;
  readonly protobuf: Type | undefined;
  readonly validate: EventValidator | undefined;
};

/**
 * Everything the serializer needs about one event type, compiled once when the type's
 * registrations change: immutable, safe to cache and share.
 */
export interface EventTypePlan {
  readonly type: string;
  /** The version new events are written with: the highest registered version or upcaster target. */
  readonly currentVersion: number;
  /** The registration of one version, if that version was registered. */
  version(schemaVersion: number): EventVersionPlan | undefined;
  /**
   * Lifts `data` stored at `fromVersion` to {@link EventTypePlan.currentVersion} by running the
   * upcasters `fromVersion → fromVersion + 1 → …` in order. Throws `UNKNOWN_EVENT_TYPE` when
   * `fromVersion` is above the current version or an upcaster of the chain is missing.
   */
  upcast(data: unknown, fromVersion: number, metadata: EventMetadata): unknown;
}

/**
 * Event types keyed by type and schema version: protobuf schemas, validators and upcasters.
 * Registrations may happen at any time; each one recompiles the plan of its type only.
 */
export interface EventRegistry {
  /**
   * True when types that were never registered are refused (`UNKNOWN_EVENT_TYPE`) on encode and
   * decode. When false they pass through at the schema version they carry.
   */
  readonly strict: boolean;
  /** Registers one schema version of a type. Throws `INVALID_ARGUMENT` on a duplicate or bad option. */
  register(registration: EventTypeRegistration): this;
  /** Registers the upcaster from `fromVersion` to `fromVersion + 1` of a type (registering the type). */
  registerUpcaster(registration: UpcasterRegistration): this;
  /** True when the type has a registration or an upcaster. */
  has(type: string): boolean;
  /** The version new events of `type` are written with. Throws `UNKNOWN_EVENT_TYPE` for an unknown type. */
  currentVersion(type: string): number;
  /** The registered types, in registration order. */
  types(): string[];
  /** The compiled plan of a type, or undefined when it is not registered. */
  lookup(type: string): EventTypePlan | undefined;
}
