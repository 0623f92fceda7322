/** The payload formats a serializer can write. */
export type SerializationFormat = 'json' | 'msgpack' | 'protobuf';

/** Format ids as stored in byte 2 of every envelope. Stored data depends on them: never renumber. */
export const FORMAT_IDS: Readonly<Record<SerializationFormat, number>> = Object.freeze({
  json: 1,
  msgpack: 2,
  protobuf: 3,
});

/** The range of format ids in use. */
export const FIRST_FORMAT_ID = 1;
export const LAST_FORMAT_ID = 3;

const FORMAT_NAMES: readonly (SerializationFormat | undefined)[] = [undefined, 'json', 'msgpack', 'protobuf'];

/** The format of a stored format id, or undefined for an unknown id. */
export function formatName(id: number): SerializationFormat | undefined {
  return FORMAT_NAMES[id];
}

/** True for the three supported format names. */
export function isSerializationFormat(value: unknown): value is SerializationFormat {
  return value === 'json' || value === 'msgpack' || value === 'protobuf';
}
