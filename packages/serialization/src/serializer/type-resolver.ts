import { InvalidArgumentError, SerializationError, UnknownEventTypeError } from '@strata/core';
import type { EventRegistry, EventTypePlan, EventValidator, EventVersionPlan } from '../registry/event-registry.js';

const MAX_SCHEMA_VERSION = 0xffffffff;
/** Versions without a registration share these plans; beyond this bound they are not cached. */
const CACHED_BARE_VERSIONS = 1024;
const bareVersions: EventVersionPlan[] = [];

/** The plan of a version nobody registered: no protobuf schema, no validator. */
export function bareVersion(schemaVersion: number): EventVersionPlan {
  const cached = bareVersions[schemaVersion];
  if (cached !== undefined) return cached;
  const plan: EventVersionPlan = Object.freeze({ schemaVersion, protobuf: undefined, validate: undefined });
  if (schemaVersion < CACHED_BARE_VERSIONS) bareVersions[schemaVersion] = plan;
  return plan;
}

/**
 * Applies the registry to one encode or decode: which schema version to write, whether the type is
 * known, which validator and protobuf schema apply. Returns shared plan objects, so the hot path
 * allocates nothing here.
 */
export class TypeResolver {
  readonly #registry: EventRegistry;

  constructor(registry: EventRegistry) {
    this.#registry = registry;
  }

  /**
   * The version an encode writes (requested, or the current one) and runs its validator on `data`.
   * Throws `UNKNOWN_EVENT_TYPE` for an unregistered type in a strict registry or a version above
   * the current one, `SERIALIZATION_FAILED` when the validator refuses the data.
   */
  forWrite(type: string, requested: unknown, data: unknown): EventVersionPlan {
    if (requested !== undefined) checkSchemaVersion(requested);
    const plan = this.#registry.lookup(type);
    if (plan === undefined) {
      if (this.#registry.strict) throw new UnknownEventTypeError(type);
      return bareVersion((requested as number | undefined) ?? 1);
    }
    const schemaVersion = (requested as number | undefined) ?? plan.currentVersion;
    checkReadable(plan, schemaVersion);
    const version = plan.version(schemaVersion) ?? bareVersion(schemaVersion);
    if (version.validate !== undefined) validate(type, schemaVersion, version.validate, data);
    return version;
  }

  /**
   * The plan a decode upcasts with (undefined for an unregistered type in a non-strict registry).
   * Throws `UNKNOWN_EVENT_TYPE` before the payload is decoded when the stored type or version
   * cannot be read.
   */
  forRead(type: string, schemaVersion: number): EventTypePlan | undefined {
    const plan = this.#registry.lookup(type);
    if (plan === undefined) {
      if (this.#registry.strict) throw new UnknownEventTypeError(type, { schemaVersion });
      return undefined;
    }
    checkReadable(plan, schemaVersion);
    return plan;
  }
}

function checkReadable(plan: EventTypePlan, schemaVersion: number): void {
  if (schemaVersion > plan.currentVersion) {
    throw new UnknownEventTypeError(plan.type, {
      schemaVersion,
      details: { reason: 'newer_than_current', currentVersion: plan.currentVersion },
    });
  }
}

function checkSchemaVersion(version: unknown): void {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MAX_SCHEMA_VERSION) {
    throw new InvalidArgumentError('schemaVersion', `expected an integer from 1 to ${MAX_SCHEMA_VERSION}`);
  }
}

function validate(type: string, schemaVersion: number, validator: EventValidator, data: unknown): void {
  let verdict: boolean | void;
  try {
    verdict = validator(data);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new SerializationError(`Invalid ${type} (version ${schemaVersion}): ${reason}`, {
      cause: err,
      details: { type, schemaVersion, reason: 'validation' },
    });
  }
  if (verdict === false) {
    throw new SerializationError(`Invalid ${type} (version ${schemaVersion}): refused by its validator`, {
      details: { type, schemaVersion, reason: 'validation' },
    });
  }
}
