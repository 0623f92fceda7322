import { InvalidArgumentError } from '@strata/core';
import { isSerializationFormat, type SerializationFormat } from '../codecs/format.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { StructureStore } from '../structures/structure-store.js';

/** msgpackr's ceiling for shared structures. */
export const MAX_SHARED_STRUCTURES = 8160;

/** Options of `createSerializer`. */
export type SerializerOptions = {
  /** The payload format written. Readers must use the same format as the writer. */
  format: SerializationFormat;
  /**
   * Event types, schema versions, protobuf schemas, validators and upcasters. Default: an empty,
   * non-strict registry (every type passes through at the version it carries). Required for
   * `protobuf`, which needs a schema per type.
   */
  registry?: EventRegistry;
  /**
   * `msgpack` only: where shared record structures are kept. Without it every payload carries the
   * definitions of its record shapes (larger, slower, but decodable anywhere). With it, records
   * refer to shared shapes and the store must persist them, or old bytes become unreadable.
   */
  structures?: StructureStore;
  /**
   * `msgpack` with `structures` only: how many shapes are shared (msgpackr default 32, at most
   * 8160). Shapes beyond it are written inline. Never lower it below the number already stored.
   */
  maxSharedStructures?: number;
  /**
   * Write a CRC-32 in every envelope and refuse envelopes without a valid one (default false).
   * Detects any corruption of stored bytes, at the price of hashing every byte on encode and decode.
   */
  checksum?: boolean;
};

/** Options after validation. */
export type ValidatedSerializerOptions = {
  format: SerializationFormat;
  registry: EventRegistry | undefined;
  structures: StructureStore | undefined;
  maxSharedStructures: number | undefined;
  checksum: boolean;
};

/** Validates every option; throws `INVALID_ARGUMENT` naming the first bad one. */
export function validateSerializerOptions(options: unknown): ValidatedSerializerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', "expected an object such as { format: 'msgpack' }");
  }
  const { format, registry, structures, maxSharedStructures, checksum = false } = options as Record<string, unknown>;
  if (!isSerializationFormat(format)) {
    throw new InvalidArgumentError('format', "expected 'json', 'msgpack' or 'protobuf'");
  }
  if (registry !== undefined && !isRegistry(registry)) {
    throw new InvalidArgumentError('registry', 'expected an event registry from createEventRegistry()');
  }
  if (format === 'protobuf' && registry === undefined) {
    throw new InvalidArgumentError('registry', 'the protobuf format needs a registry with a schema per event type');
  }
  if (structures !== undefined) {
    if (format !== 'msgpack') throw new InvalidArgumentError('structures', 'only the msgpack format uses structures');
    if (!isStructureStore(structures)) {
      throw new InvalidArgumentError('structures', 'expected a StructureStore with load() and save()');
    }
  }
  if (maxSharedStructures !== undefined) {
    if (structures === undefined) {
      throw new InvalidArgumentError('maxSharedStructures', 'needs a structure store (option structures)');
    }
    if (
      typeof maxSharedStructures !== 'number' ||
      !Number.isInteger(maxSharedStructures) ||
      maxSharedStructures < 0 ||
      maxSharedStructures > MAX_SHARED_STRUCTURES
    ) {
      throw new InvalidArgumentError('maxSharedStructures', `expected an integer from 0 to ${MAX_SHARED_STRUCTURES}`);
    }
  }
  if (typeof checksum !== 'boolean') throw new InvalidArgumentError('checksum', 'expected a boolean');
  return {
    format,
    registry: registry as EventRegistry | undefined,
    structures: structures as StructureStore | undefined,
    maxSharedStructures: maxSharedStructures as number | undefined,
    checksum,
  };
}

function isRegistry(value: unknown): value is EventRegistry {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['lookup'] === 'function' && typeof candidate['strict'] === 'boolean';
}

function isStructureStore(value: unknown): value is StructureStore {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['load'] === 'function' && typeof candidate['save'] === 'function';
}
