/** A stream id: `<category>-<id>`, e.g. `account-42`. See {@link validateStreamId}. */
export type StreamId = string;

/** Event metadata: a plain, serialisable object (correlation ids, the acting user …). */
export type EventMetadata = Record<string, unknown>;

/** An event to append. */
export interface EventData<TType extends string = string, TData = unknown> {
  /** The event type, e.g. `'Deposited'`. */
  type: TType;
  /** The payload. Must be serialisable by the store's serializer. */
  data: TData;
  /** Optional metadata stored beside the payload. */
  metadata?: EventMetadata;
  /**
   * Optional event id, unique store-wide. Supply it to make an append idempotent: retrying the
   * same ids with the same content is a no-op that returns the original result. Generated when absent.
   */
  id?: string;
  /** Schema version of `data` (default 1); upcasters lift older versions on read. */
  schemaVersion?: number;
}

/** An event as stored: its data plus where and when it was recorded. */
export interface RecordedEvent<TData = unknown, TType extends string = string> {
  streamId: StreamId;
  /** 0-based position in its stream; gapless. */
  version: number;
  /** Position in the store-wide log; strictly increasing in commit order. */
  position: number;
  id: string;
  type: TType;
  data: TData;
  metadata: EventMetadata;
  schemaVersion: number;
  recordedAt: Date;
}

/** The result of a successful append. */
export interface AppendResult {
  /** The stream's version after the append: pass it as `expectedVersion` of the next append. */
  nextExpectedVersion: number;
  /** The global position of the last event appended. */
  position: number;
}
