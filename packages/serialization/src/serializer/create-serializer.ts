import { InvalidArgumentError } from '@strata/core';
import { JsonCodec } from '../codecs/json-codec.js';
import { MsgpackCodec } from '../codecs/msgpack-codec.js';
import type { PayloadCodec } from '../codecs/payload-codec.js';
import { ProtobufCodec } from '../codecs/protobuf-codec.js';
import { createEventRegistry } from '../registry/create-event-registry.js';
import { copyStructures } from '../structures/structures-adapter.js';
import type { Serializer } from './serializer.js';
import { validateSerializerOptions, type SerializerOptions, type ValidatedSerializerOptions } from './serializer-options.js';
import { StrataSerializer } from './strata-serializer.js';

/** msgpackr's default number of shared structures. */
const DEFAULT_MAX_SHARED_STRUCTURES = 32;

/**
 * Creates a serializer for one format. Validates every option (`INVALID_ARGUMENT` naming it) and,
 * for MessagePack with a structure store, loads the stored structures once to fail now rather
 * than on the first read (`SERIALIZATION_FAILED` when they are corrupt).
 *
 * @example
 * const serializer = createSerializer({ format: 'msgpack', structures: store.structures, registry });
 * const bytes = serializer.encodeRecord({ streamId, version, position, id, type, data, recordedAt: Date.now() });
 * const event = serializer.decodeRecord(bytes);
 */
export function createSerializer(options: SerializerOptions): Serializer {
  const validated = validateSerializerOptions(options);
  const registry = validated.registry ?? createEventRegistry();
  return new StrataSerializer(createCodec(validated), registry, validated.checksum);
}

function createCodec(options: ValidatedSerializerOptions): PayloadCodec {
  switch (options.format) {
    case 'json':
      return new JsonCodec();
    case 'protobuf':
      return new ProtobufCodec();
    case 'msgpack':
      if (options.structures !== undefined) checkStoredStructures(options);
      return new MsgpackCodec({ structures: options.structures, maxSharedStructures: options.maxSharedStructures });
  }
}

function checkStoredStructures(options: ValidatedSerializerOptions): void {
  const stored = options.structures?.load();
  if (stored === undefined) return;
  const count = copyStructures(stored, 'stored structures').length;
  const max = options.maxSharedStructures ?? DEFAULT_MAX_SHARED_STRUCTURES;
  if (count > max) {
    throw new InvalidArgumentError(
      'maxSharedStructures',
      `the structure store holds ${count} shared structures; set maxSharedStructures to at least ${count}`,
    );
  }
}
