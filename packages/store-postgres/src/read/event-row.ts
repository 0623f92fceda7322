import type { RecordedEvent } from '@strata/core';
import type { EventCodec } from '../codec/event-codec.js';

const POSITION = 0;
const VERSION = 1;
const ID = 2;
const RECORDED_AT = 3;
const CODEC = 4;

/** One column of an event read: the SQL that selects it and its type. */
export type EventColumn = { sql: string; type: string };

/**
 * The columns of an event read, in the order {@link toRecordedEvent} expects. Rows are read as
 * arrays (no object per row), `recorded_at` travels as epoch milliseconds (a number parse instead
 * of a date-string parse), and the codec selects only what it needs to decode: with the binary
 * formats the payload carries the type and schema version itself. Log reads add the stream id;
 * stream reads know it. Statements select the codec's columns in the form cheapest to transfer
 * (`readTransferSql`); `asStored` selects them as stored, for the read function, whose result
 * type the schema's migrations fixed. `type` is the type as stored either way.
 */
export function eventColumns(codec: EventCodec, withStream: boolean, alias = '', asStored = false): EventColumn[] {
  const a = alias === '' ? '' : `${alias}.`;
  const transfer = codec.readTransferSql(a);
  const columns: EventColumn[] = [
    { sql: `${a}position`, type: 'bigint' },
    { sql: `${a}version`, type: 'bigint' },
    { sql: `${a}event_id`, type: 'text' },
    { sql: `(date_part('epoch', ${a}recorded_at) * 1000)::bigint`, type: 'bigint' },
    ...codec.readColumns.map((column, i) => ({ sql: asStored ? `${a}${column}` : transfer[i]!, type: codec.readColumnTypes[i]! })),
  ];
  if (withStream) columns.push({ sql: `${a}stream_id`, type: 'text' });
  return columns;
}

/**
 * Decodes a row of {@link eventColumns} that starts at `offset` (data upcast to the type's current
 * version). `streamId` is the stream of a stream read; a log read takes it from the row.
 */
export function toRecordedEvent(row: readonly unknown[], codec: EventCodec, offset = 0, streamId?: string): RecordedEvent {
  const decoded = codec.decode(row, offset + CODEC);
  return {
    streamId: streamId ?? (row[offset + CODEC + codec.readColumns.length] as string),
    version: row[offset + VERSION] as number,
    position: row[offset + POSITION] as number,
    id: row[offset + ID] as string,
    type: decoded.type,
    data: decoded.data,
    metadata: decoded.metadata,
    schemaVersion: decoded.schemaVersion,
    recordedAt: new Date(row[offset + RECORDED_AT] as number),
  };
}
