import { FORMAT_IDS, type SerializationFormat } from '../../src/index.js';

/**
 * Builds envelopes byte by byte from the layout the README documents, so tests can hand the
 * decoders payloads this package would never write (crafted keys, foreign encodings).
 */

const MAGIC = 0xc1;

function u16(out: number[], value: number): void {
  out.push(value & 0xff, value >>> 8);
}

function u32(out: number[], value: number): void {
  out.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
}

function u64(out: number[], value: number): void {
  const low = value % 2 ** 32;
  u32(out, low);
  u32(out, (value - low) / 2 ** 32);
}

export type CraftedRecord = {
  format: SerializationFormat;
  payload: Uint8Array;
  hasMetadata?: boolean;
  type?: string;
  streamId?: string;
  id?: string;
  schemaVersion?: number;
  position?: number;
  version?: number;
  recordedAt?: number;
};

/** A record envelope around `payload`, exactly as `encodeRecord` lays it out. */
export function craftRecord(record: CraftedRecord): Buffer {
  const type = Buffer.from(record.type ?? 'Crafted');
  const streamId = Buffer.from(record.streamId ?? 'crafted-1');
  const id = Buffer.from(record.id ?? 'crafted-id');
  const ascii = [type, streamId, id].every((name) => name.every((byte) => byte < 0x80));
  const flags = (record.hasMetadata ? 1 : 0) | (ascii ? 4 : 0);
  const head: number[] = [MAGIC, 1, FORMAT_IDS[record.format], flags];
  u32(head, 0);
  u32(head, record.payload.length);
  u32(head, record.schemaVersion ?? 1);
  u64(head, record.position ?? 7);
  u64(head, record.version ?? 3);
  u64(head, record.recordedAt ?? Date.UTC(2025, 0, 1));
  u16(head, type.length);
  u16(head, streamId.length);
  u16(head, id.length);
  u16(head, 0);
  return Buffer.concat([Buffer.from(head), type, streamId, id, record.payload]);
}

/** An event envelope around `payload`. */
export function craftEvent(format: SerializationFormat, payload: Uint8Array, type = 'Crafted', hasMetadata = false): Buffer {
  const name = Buffer.from(type);
  const head: number[] = [MAGIC, 2, FORMAT_IDS[format], (hasMetadata ? 1 : 0) | 4];
  u32(head, 0);
  u32(head, payload.length);
  u32(head, 1);
  u16(head, name.length);
  u16(head, 0);
  return Buffer.concat([Buffer.from(head), name, payload]);
}

/** A value envelope around `payload`. */
export function craftValue(format: SerializationFormat, payload: Uint8Array): Buffer {
  const head: number[] = [MAGIC, 3, FORMAT_IDS[format], 0];
  u32(head, 0);
  return Buffer.concat([Buffer.from(head), payload]);
}
