/**
 * What an append expects of its stream:
 * - a number: the version of the stream's last event (a stream with 3 events is at 2);
 * - `'no_stream'`: the stream has no events (never written, or soft-deleted);
 * - `'stream_exists'`: the stream has at least one event;
 * - `'any'`: no check.
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

/** The version of a stream that has no events. */
export const NO_STREAM_VERSION = -1;
