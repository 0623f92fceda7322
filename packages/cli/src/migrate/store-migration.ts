import { createHash } from 'node:crypto';
import {
  InvalidArgumentError,
  isStrataError,
  type EventData,
  type EventStore,
  type ExpectedVersion,
  type RecordedEvent,
} from '@strata/core';
import type { PostgresEventStore } from '@strata/store-postgres';
import { CliError, CliErrorCodes } from '../errors/cli-errors.js';
import { recreateHiddenPrefix } from './placeholders.js';
import { verifyCopy, type VerifyReport } from './verify-copy.js';

/** Options of {@link createStoreMigration}. */
export type StoreMigrationOptions = {
  source: EventStore;
  target: PostgresEventStore;
  /** Most events per target transaction (and per append). 1 to 10,000; default 1,000. */
  batchSize?: number;
  /** Stops the copy between two batches; the checkpoint then says where to resume. */
  signal?: AbortSignal;
};

/** What a copy did. */
export type CopyReport = {
  /** The checkpoint in the target that records progress (the last source position copied). */
  checkpoint: string;
  /** True when this run continued an earlier, interrupted one. */
  resumed: boolean;
  /** Source position the run started from. */
  from: number;
  /** Events this run wrote (events found already copied are not counted). */
  copied: number;
  /** Events this run found already in the target (a re-sent batch). */
  skipped: number;
  /** Source events read. */
  read: number;
  /** Streams whose soft-deleted prefix was recreated as hidden stand-in events. */
  softDeletedStreams: number;
  /** Streams whose metadata was copied. */
  streamsWithMetadata: number;
};

type Chunk = { streamId: string; events: RecordedEvent[] };

/** Most appends in one target transaction: the PostgreSQL store's group commit sends at most this many in one call. */
const MAX_APPENDS_PER_ROUND = 256;
const CHECKPOINT_PREFIX = '$strata.migrate:';

/**
 * Copies an event store into a PostgreSQL store and verifies the copy.
 *
 * Each round takes whole runs of consecutive same-stream events from the source log (at most
 * `batchSize` events) and submits their appends in one event-loop turn, so the target's group
 * commit writes the round in one transaction, in source order. Every append carries the source's
 * event ids and the expected version the source stream had, so a round sent again after a crash
 * is a no-op (an idempotent retry); a round that overlaps differently (another `--batch`) is
 * reconciled against what the target holds. After the round, the recorded times are set and the
 * checkpoint (the last source position copied) is saved.
 */
export class StoreMigration {
  readonly #source: EventStore;
  readonly #target: PostgresEventStore;
  readonly #batchSize: number;
  readonly #signal: AbortSignal | undefined;
  /** Streams seen in this run, with the last version copied. */
  readonly #known = new Map<string, number>();

  constructor(options: Required<Pick<StoreMigrationOptions, 'source' | 'target' | 'batchSize'>> & { signal: AbortSignal | undefined }) {
    this.#source = options.source;
    this.#target = options.target;
    this.#batchSize = options.batchSize;
    this.#signal = options.signal;
  }

  /**
   * Copies what the checkpoint says is missing. `onProgress` gets the last source position done
   * and the source head. Fails with `TARGET_NOT_EMPTY` when the target holds events and no
   * checkpoint of this source.
   */
  async copy(onProgress?: (position: number, head: number) => void): Promise<CopyReport> {
    const head = await this.#source.headPosition();
    const checkpoint = await this.#checkpointName();
    const saved = await this.#target.checkpoints.load(checkpoint);
    if (saved === undefined && (await this.#target.headPosition()) !== -1) {
      throw new CliError(
        CliErrorCodes.TARGET_NOT_EMPTY,
        `the target already holds events that did not come from this source (no checkpoint '${checkpoint}'); migrate into an empty schema`,
        { details: { checkpoint } },
      );
    }
    // Saved before anything is written, so a crash in the first round still leaves a resumable target.
    if (saved === undefined) await this.#target.checkpoints.save(checkpoint, -1);
    const report: CopyReport = {
      checkpoint,
      resumed: saved !== undefined && saved >= 0,
      from: (saved ?? -1) + 1,
      copied: 0,
      skipped: 0,
      read: 0,
      softDeletedStreams: 0,
      streamsWithMetadata: 0,
    };
    let round: Chunk[] = [];
    let roundEvents = 0;
    let current: Chunk | undefined;
    const flush = async (): Promise<void> => {
      if (round.length === 0) return;
      this.#signal?.throwIfAborted();
      const last = round.at(-1)!.events.at(-1)!;
      await this.#copyRound(round, report);
      await this.#finishRound(round, checkpoint, last.position);
      onProgress?.(last.position, head);
      round = [];
      roundEvents = 0;
    };
    const closeChunk = async (): Promise<void> => {
      if (current === undefined) return;
      if (roundEvents + current.events.length > this.#batchSize || round.length >= MAX_APPENDS_PER_ROUND) await flush();
      round.push(current);
      roundEvents += current.events.length;
      current = undefined;
    };
    for await (const event of this.#source.readAll({ from: report.from })) {
      report.read++;
      if (current !== undefined && (current.streamId !== event.streamId || current.events.length >= this.#batchSize)) await closeChunk();
      current ??= { streamId: event.streamId, events: [] };
      current.events.push(event);
    }
    await closeChunk();
    await flush();
    onProgress?.(head, head);
    return report;
  }

  /** Compares source and target: counts and checksums per stream and overall, global order, stream metadata. */
  async verify(onProgress?: (events: number) => void): Promise<VerifyReport> {
    return verifyCopy(this.#source, this.#target, onProgress);
  }

  /** Removes the copy's checkpoint (after a verified copy, when the target goes live). */
  async forgetCheckpoint(): Promise<void> {
    await this.#target.checkpoints.delete(await this.#checkpointName());
  }

  /**
   * The checkpoint is named after the source's first event id, so progress of one source is
   * never taken for another's.
   */
  async #checkpointName(): Promise<string> {
    let first = '';
    for await (const event of this.#source.readAll({ maxCount: 1 })) first = event.id;
    return `${CHECKPOINT_PREFIX}${createHash('sha256').update(first).digest('hex').slice(0, 16)}`;
  }

  async #copyRound(round: readonly Chunk[], report: CopyReport): Promise<void> {
    const newStreams: string[] = [];
    const expected: ExpectedVersion[] = [];
    for (const chunk of round) {
      expected.push(await this.#expectedVersionFor(chunk, report, newStreams));
      this.#known.set(chunk.streamId, chunk.events.at(-1)!.version);
    }
    // Submitted in one turn: the target's group commit writes them in one transaction, in this order.
    const outcomes = await Promise.allSettled(round.map((chunk, i) => this.#target.append(chunk.streamId, chunk.events.map(toEventData), { expectedVersion: expected[i]! })));
    for (let i = 0; i < round.length; i++) {
      const outcome = outcomes[i]!;
      const chunk = round[i]!;
      if (outcome.status === 'fulfilled') report.copied += chunk.events.length;
      else if (isStrataError(outcome.reason, 'WRONG_EXPECTED_VERSION') || isStrataError(outcome.reason, 'DUPLICATE_EVENT')) {
        await this.#reconcile(chunk, report, outcome.reason);
      } else throw outcome.reason;
    }
    for (const streamId of newStreams) {
      const info = await this.#source.streamInfo(streamId);
      if (info !== undefined && Object.keys(info.metadata).length > 0) {
        await this.#target.setStreamMetadata(streamId, info.metadata);
        report.streamsWithMetadata++;
      }
    }
  }

  async #expectedVersionFor(chunk: Chunk, report: CopyReport, newStreams: string[]): Promise<ExpectedVersion> {
    const first = chunk.events[0]!.version;
    const known = this.#known.get(chunk.streamId);
    if (known !== undefined) return known;
    newStreams.push(chunk.streamId);
    if (first === 0) return 'no_stream';
    let firstVisible = first;
    for await (const event of this.#source.readStream(chunk.streamId, { maxCount: 1 })) firstVisible = event.version;
    if (firstVisible < first) return first - 1; // Its earlier events were copied by an earlier run.
    await recreateHiddenPrefix(this.#target, chunk.streamId, first);
    report.softDeletedStreams++;
    return 'no_stream';
  }

  /**
   * An append refused because the target already holds some of the chunk (a round re-sent with
   * other boundaries): the events already there must be the same ones at the same versions; the
   * rest is appended after them.
   */
  async #reconcile(chunk: Chunk, report: CopyReport, cause: unknown): Promise<void> {
    const first = chunk.events[0]!.version;
    let matched = 0;
    for await (const stored of this.#target.readStream(chunk.streamId, { from: first, maxCount: chunk.events.length })) {
      const expected = chunk.events[matched];
      if (expected === undefined || stored.version !== expected.version || stored.id !== expected.id) break;
      matched++;
    }
    if (matched === 0) {
      throw new CliError(
        CliErrorCodes.MIGRATION_MISMATCH,
        `stream '${chunk.streamId}' in the target differs from the source at version ${first}`,
        { cause, details: { streamId: chunk.streamId, version: first } },
      );
    }
    report.skipped += matched;
    const rest = chunk.events.slice(matched);
    if (rest.length === 0) return;
    await this.#target.append(chunk.streamId, rest.map(toEventData), { expectedVersion: rest[0]!.version - 1 });
    report.copied += rest.length;
  }

  /**
   * The PostgreSQL store stamps an append with its own time; the source's recorded times are set
   * on the copied rows afterwards, by event id, through the store's documented `events` table. The
   * same transaction saves the checkpoint (the store's `checkpoints` table, as
   * `store.checkpoints.save` writes it), so the times and the progress commit together, with one
   * commit flush per round.
   */
  async #finishRound(round: readonly Chunk[], checkpoint: string, position: number): Promise<void> {
    const ids: string[] = [];
    const times: string[] = [];
    for (const chunk of round) {
      for (const event of chunk.events) {
        ids.push(event.id);
        times.push(event.recordedAt.toISOString());
      }
    }
    const schema = `"${this.#target.schema}"`;
    await this.#target.pool.transaction(async (client) => {
      await client.query(
        `UPDATE ${schema}.events AS e SET recorded_at = v.t
           FROM unnest($1::text[], $2::timestamptz[]) AS v(id, t)
          WHERE e.event_id = v.id AND e.recorded_at IS DISTINCT FROM v.t`,
        [ids, times],
      );
      await client.query(
        `INSERT INTO ${schema}.checkpoints (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
        [checkpoint, position],
      );
    });
  }
}

function toEventData(event: RecordedEvent): EventData {
  return { id: event.id, type: event.type, data: event.data, metadata: event.metadata, schemaVersion: event.schemaVersion };
}

/**
 * Creates a migration of `source` into the PostgreSQL store `target`. Validates the options:
 * `INVALID_ARGUMENT` names a bad one.
 */
export function createStoreMigration(options: StoreMigrationOptions): StoreMigration {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  if (typeof options.source?.readAll !== 'function') throw new InvalidArgumentError('source', 'expected an event store');
  if (typeof options.target?.append !== 'function' || typeof options.target.pool?.query !== 'function') {
    throw new InvalidArgumentError('target', 'expected a PostgreSQL event store');
  }
  const batchSize = options.batchSize ?? 1_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new InvalidArgumentError('batchSize', 'expected an integer from 1 to 10,000');
  }
  return new StoreMigration({ source: options.source, target: options.target, batchSize, signal: options.signal });
}
