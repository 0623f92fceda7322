import {
  createEventRegistry,
  createInMemoryStructureStore,
  createSerializer,
  type EventRegistry,
  type SerializationFormat,
  type Serializer,
  type SerializerOptions,
} from '../../src/index.js';

/** The .proto of the sample event (see events.ts), for the protobuf format. */
export const MONEY_DEPOSITED_PROTO = `
syntax = "proto3";
package bank;
message MoneyDeposited {
  string accountId = 1;
  double amount = 2;
  string currency = 3;
  bool approved = 4;
  repeated string tags = 5;
}
`;

/** A registry knowing the sample event, with its protobuf schema. */
export function sampleRegistry(options: { strict?: boolean } = {}): EventRegistry {
  return createEventRegistry(options).register({
    type: 'MoneyDeposited',
    protobuf: { proto: MONEY_DEPOSITED_PROTO, message: 'bank.MoneyDeposited' },
  });
}

export const FORMATS: readonly SerializationFormat[] = ['json', 'msgpack', 'protobuf'];

/** A serializer of `format` for the sample event (msgpack with an in-memory structure store). */
export function sampleSerializer(
  format: SerializationFormat,
  options: Partial<SerializerOptions> & { registry?: EventRegistry } = {},
): Serializer {
  return createSerializer({
    format,
    registry: options.registry ?? sampleRegistry(),
    ...(format === 'msgpack' ? { structures: options.structures ?? createInMemoryStructureStore() } : {}),
    ...(options.checksum === undefined ? {} : { checksum: options.checksum }),
  });
}
