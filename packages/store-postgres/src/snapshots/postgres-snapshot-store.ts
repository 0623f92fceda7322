import { validateSnapshot, validateSnapshotKey, validateStreamId, type Snapshot, type SnapshotStore } from '@strata/core';
import { int8AsNumber } from '@strata/pool';
import { qualified, statement, type StoreContext, type Statement } from '../schema/store-context.js';

type SnapshotRow = { version: number; state: Buffer };

/**
 * Snapshots in a table of their own, one row per (stream, aggregate), state encoded by the store's
 * value serializer. A save never replaces a newer snapshot of the same state schema version; the
 * check and the write are one statement, so racing saves cannot undo each other.
 */
export class PostgresSnapshotStore implements SnapshotStore {
  readonly #ctx: StoreContext;
  readonly #assertOpen: () => void;
  readonly #load: Statement;
  readonly #save: Statement;
  readonly #delete: Statement;

  constructor(ctx: StoreContext, assertOpen: () => void) {
    this.#ctx = ctx;
    this.#assertOpen = assertOpen;
    const table = qualified(ctx.schema, 'snapshots');
    this.#load = statement(`SELECT version, state FROM ${table} WHERE stream_id = $1 AND aggregate = $2 AND state_schema_version = $3`);
    this.#save = statement(
      `INSERT INTO ${table} AS s (stream_id, aggregate, state_schema_version, version, state) VALUES ($1, $2, $3, $4, $5) ` +
        'ON CONFLICT (stream_id, aggregate) DO UPDATE SET state_schema_version = EXCLUDED.state_schema_version, version = EXCLUDED.version, ' +
        'state = EXCLUDED.state, saved_at = now() ' +
        'WHERE NOT (s.state_schema_version = EXCLUDED.state_schema_version AND s.version > EXCLUDED.version)',
    );
    this.#delete = statement(`DELETE FROM ${table} WHERE stream_id = $1`);
  }

  async load<TState = unknown>(stream: string, aggregate: string, stateSchemaVersion: number): Promise<Snapshot<TState> | undefined> {
    this.#assertOpen();
    validateSnapshotKey(stream, aggregate, stateSchemaVersion);
    const { rows } = await this.#ctx.pool.query<SnapshotRow>({ ...this.#load, types: int8AsNumber }, [stream, aggregate, stateSchemaVersion], {
      idempotent: true,
    });
    const row = rows[0];
    if (row === undefined) return undefined;
    return { streamId: stream, aggregate, stateSchemaVersion, version: row.version, state: this.#ctx.values.decodeValue(row.state) as TState };
  }

  async save(snapshot: Snapshot): Promise<void> {
    this.#assertOpen();
    validateSnapshot(snapshot);
    const bytes = this.#ctx.values.encodeValue(snapshot.state);
    const state = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await this.#ctx.pool.query(this.#save, [snapshot.streamId, snapshot.aggregate, snapshot.stateSchemaVersion, snapshot.version, state], {
      idempotent: true,
    });
  }

  async delete(stream: string): Promise<void> {
    this.#assertOpen();
    validateStreamId(stream);
    await this.#ctx.pool.query(this.#delete, [stream], { idempotent: true });
  }
}
