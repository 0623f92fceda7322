/**
 * A stored snapshot: the state schema version (uint32), the stream version (float64), then the
 * state as a value envelope of the store's serializer.
 */
const HEADER_BYTES = 12;

/** Builds a snapshot value (a fresh buffer). */
export function encodeSnapshotValue(stateSchemaVersion: number, version: number, state: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + state.length);
  out.writeUInt32LE(stateSchemaVersion, 0);
  out.writeDoubleLE(version, 4);
  out.set(state, HEADER_BYTES);
  return out;
}

/** The fixed fields of a snapshot value and a view of its state envelope. */
export function decodeSnapshotValue(bytes: Uint8Array): { stateSchemaVersion: number; version: number; state: Uint8Array } {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return { stateSchemaVersion: view.readUInt32LE(0), version: view.readDoubleLE(4), state: view.subarray(HEADER_BYTES) };
}
