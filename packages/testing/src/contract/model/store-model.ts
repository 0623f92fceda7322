import type { AppendResult, ErrorCode, EventData, EventFilter, ExpectedVersion, StreamInfo } from '@strata/core';
import { categoryOf, matchesOriginal, sameValue, versionHolds } from './model-values.js';

/** An event as the model knows it; ids and positions are learned from the store after an append. */
export type ModelEvent = {
  streamId: string;
  version: number;
  position: number;
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  schemaVersion: number;
};

type ModelStream = {
  /** Every event ever appended, indexed by version (deleted ones included: versions are kept). */
  events: ModelEvent[];
  /** First visible version. */
  visibleFrom: number;
  softDeleted: boolean;
  hardDeleted: boolean;
  metadata: Record<string, unknown>;
  /**
   * True while the stream exists only because of a soft delete of a never-written stream: the
   * contract leaves open whether that records the stream, so `streamInfo` and its `deleted` flag
   * may go either way until the next append.
   */
  ambiguous: boolean;
  /** Whether `setStreamMetadata` was called on the stream. */
  metadataSet: boolean;
};

/** What the model allows an operation to do. */
export type Expectation = {
  /** How a success must look; `undefined` when the operation must fail. */
  success?: { kind: 'new'; firstVersion: number; nextExpectedVersion: number } | { kind: 'retry'; result: AppendResult };
  /** The error codes the store may fail with (empty when it must succeed). */
  errors: ReadonlySet<ErrorCode>;
  /** The actual version a `WRONG_EXPECTED_VERSION` must carry. */
  actual: number;
};

/** A `streamInfo` answer the model accepts: one value, or (for an ambiguous stream) several. */
export type InfoExpectation = { allowed: (StreamInfo | undefined)[] };

/**
 * A deliberately simple, independent model of the event-store contract (not the in-memory store):
 * lists and maps, no indexes, no cleverness, so that disagreement points at the store.
 * Where the contract leaves a choice to the store, the model accepts every allowed outcome.
 */
export class StoreModel {
  readonly #streams = new Map<string, ModelStream>();
  readonly #ids = new Map<string, ModelEvent>();
  /** Ids of events that were the first of an append to a stream with no visible events. */
  readonly #landedOnEmpty = new Set<string>();
  /** Ids of hard-deleted events: a store may free them or keep refusing them. */
  readonly #freedIds = new Set<string>();
  /** Highest position ever committed (-1 before the first append). */
  lastPosition = -1;

  /** The stream's last visible version, or -1. */
  current(stream: string): number {
    const s = this.#streams.get(stream);
    if (s === undefined || s.events.length <= s.visibleFrom) return -1;
    return s.events.length - 1;
  }

  /** What an append of valid events may do. */
  expectAppend(stream: string, events: readonly EventData[], expected: ExpectedVersion): Expectation {
    const s = this.#streams.get(stream);
    const current = this.current(stream);
    const errors = new Set<ErrorCode>();
    if (s?.hardDeleted) errors.add('STREAM_DELETED');
    const matches = events.map((e) => (e.id === undefined ? undefined : this.#ids.get(e.id)));
    if (matches.some((m) => m !== undefined)) {
      const isRun = matches.every(
        (m, i) => m !== undefined && m.streamId === stream && sameContent(m, events[i]!) && (i === 0 || m.version === matches[i - 1]!.version + 1),
      );
      if (isRun && matchesOriginal(expected, matches[0]!.version, this.#landedOnEmpty.has(matches[0]!.id))) {
        const last = matches.at(-1)!;
        const result = { nextExpectedVersion: last.version, position: last.position };
        return { success: { kind: 'retry', result }, errors: new Set(), actual: current };
      }
      errors.add('DUPLICATE_EVENT');
    }
    if (!versionHolds(expected, current)) errors.add('WRONG_EXPECTED_VERSION');
    const freedReused = events.some((e) => e.id !== undefined && this.#freedIds.has(e.id) && !this.#ids.has(e.id));
    if (errors.size > 0) {
      if (freedReused) errors.add('DUPLICATE_EVENT');
      return { errors, actual: current };
    }
    const firstVersion = s?.events.length ?? 0;
    return {
      success: { kind: 'new', firstVersion, nextExpectedVersion: firstVersion + events.length - 1 },
      errors: new Set<ErrorCode>(freedReused ? ['DUPLICATE_EVENT'] : []),
      actual: current,
    };
  }

  /** Records a successful new append, with the ids and positions read back from the store. */
  applyAppend(stream: string, recorded: readonly ModelEvent[]): void {
    const s = this.#stream(stream);
    if (recorded[0] !== undefined && this.current(stream) === -1) this.#landedOnEmpty.add(recorded[0].id);
    s.events.push(...recorded);
    s.softDeleted = false;
    s.ambiguous = false;
    for (const e of recorded) {
      this.#ids.set(e.id, e);
      this.#freedIds.delete(e.id);
      this.lastPosition = Math.max(this.lastPosition, e.position);
    }
  }

  /** What a delete may do: it must succeed when `errors` is empty. */
  expectDelete(stream: string, expected: ExpectedVersion): { errors: ReadonlySet<ErrorCode>; actual: number } {
    const errors = new Set<ErrorCode>();
    const current = this.current(stream);
    if (this.#streams.get(stream)?.hardDeleted) errors.add('STREAM_DELETED');
    if (!versionHolds(expected, current)) errors.add('WRONG_EXPECTED_VERSION');
    return { errors, actual: current };
  }

  /** Records a successful delete. */
  applyDelete(stream: string, hard: boolean): void {
    const known = this.#streams.get(stream);
    const s = this.#stream(stream);
    if (known === undefined && !hard) s.ambiguous = true;
    s.visibleFrom = s.events.length;
    s.softDeleted = true;
    if (hard) {
      s.hardDeleted = true;
      s.ambiguous = false;
      for (const e of s.events) {
        if (this.#ids.get(e.id) === e) this.#ids.delete(e.id);
        this.#freedIds.add(e.id);
      }
    }
  }

  /** What `setStreamMetadata` may do. */
  expectSetMetadata(stream: string): ReadonlySet<ErrorCode> {
    return new Set<ErrorCode>(this.#streams.get(stream)?.hardDeleted ? ['STREAM_DELETED'] : []);
  }

  /** Records new stream metadata. */
  applySetMetadata(stream: string, metadata: Record<string, unknown>): void {
    const s = this.#stream(stream);
    s.metadata = structuredClone(metadata);
    s.metadataSet = true;
  }

  /** The stream's visible events as `readStream` must return them. */
  readStream(stream: string, options: { from?: number; direction?: 'forward' | 'backward'; maxCount?: number } = {}): ModelEvent[] {
    const s = this.#streams.get(stream);
    if (s === undefined) return [];
    const visible = s.events.slice(s.visibleFrom);
    const max = options.maxCount ?? Infinity;
    if (options.direction === 'backward') {
      const start = options.from ?? Infinity;
      return visible.filter((e) => e.version <= start).reverse().slice(0, max);
    }
    const from = options.from ?? 0;
    return visible.filter((e) => e.version >= from).slice(0, max);
  }

  /** The visible log as `readAll` must return it. */
  readAll(options: { from?: number; maxCount?: number; filter?: EventFilter } = {}): ModelEvent[] {
    const { from = 0, maxCount = Infinity, filter } = options;
    const all: ModelEvent[] = [];
    for (const s of this.#streams.values()) all.push(...s.events.slice(s.visibleFrom));
    return all
      .filter((e) => e.position >= from)
      .filter((e) => filter?.types === undefined || filter.types.includes(e.type))
      .filter((e) => filter?.categories === undefined || filter.categories.includes(categoryOf(e.streamId)))
      .sort((a, b) => a.position - b.position)
      .slice(0, maxCount);
  }

  /** Every `streamInfo` answer the model accepts. */
  streamInfo(stream: string): InfoExpectation {
    const s = this.#streams.get(stream);
    if (s === undefined) return { allowed: [undefined] };
    const info = (deleted: boolean): StreamInfo => ({
      version: this.current(stream),
      deleted,
      hardDeleted: s.hardDeleted,
      metadata: s.metadata,
    });
    if (!s.ambiguous) return { allowed: [info(s.hardDeleted || s.softDeleted)] };
    // A store that recorded the soft delete reports it; one that did not knows the stream only
    // if metadata was set since, and then as not deleted.
    return { allowed: [info(true), s.metadataSet ? info(false) : undefined] };
  }

  /** Positions of every visible event, ascending. */
  visiblePositions(): number[] {
    return this.readAll().map((e) => e.position);
  }

  /** Streams the model has heard of. */
  streams(): string[] {
    return [...this.#streams.keys()];
  }

  #stream(stream: string): ModelStream {
    let s = this.#streams.get(stream);
    if (s === undefined) {
      s = { events: [], visibleFrom: 0, softDeleted: false, hardDeleted: false, metadata: {}, ambiguous: false, metadataSet: false };
      this.#streams.set(stream, s);
    }
    return s;
  }
}

function sameContent(stored: ModelEvent, retried: EventData): boolean {
  return (
    stored.type === retried.type &&
    stored.schemaVersion === (retried.schemaVersion ?? 1) &&
    sameValue(stored.data, retried.data) &&
    sameValue(stored.metadata, retried.metadata ?? {})
  );
}
