import type { PgClient } from '@strata/pool';
import type { EventCodec } from '../codec/event-codec.js';
import { appendFunctionSql } from '../append/append-batch.js';
import { readLogFunctionSql } from '../read/log-reader.js';
import { deleteFunctionSql, setMetadataFunctionSql } from '../streams/stream-lifecycle.js';
import { qualified, type Ordering, type StoreSettings } from './store-context.js';

/** What a migration gets. */
export type MigrationContext = {
  schema: string;
  /** The ordering asked for (applies when the schema is created). */
  ordering: Ordering;
  /** The codec of the format asked for (applies when the schema is created). */
  codec: EventCodec;
  /** The per-schema advisory-lock seed baked into the functions. */
  seed: number;
  /** The settings stored so far (`undefined` before the first migration). */
  settings: StoreSettings | undefined;
};

/** One step of the schema's history. Applied once, in a transaction, in version order. */
export type Migration = {
  version: number;
  name: string;
  /** Applies the step and returns the store's settings afterwards. */
  up(client: PgClient, context: MigrationContext): Promise<StoreSettings>;
};

/**
 * The schema's versions. Never edit an applied migration: add the next one. A store refuses a
 * schema migrated by a newer version of this package (`INCOMPATIBLE_FORMAT`).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, streams, snapshots, checkpoints and the append, read and delete functions',
    async up(client, { schema, ordering, codec, seed }) {
      const q = (name: string) => qualified(schema, name);
      const { rows } = await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
      const settings: StoreSettings = { ordering, format: codec.format, positionBase: Number(rows[0]!.xid) };
      const payload = codec.payloadColumns.map((column, i) => `${column} ${codec.payloadTypes[i]} NOT NULL`).join(', ');
      const ddl = [
        `CREATE TABLE ${q('store_settings')} (
          singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
          ordering text NOT NULL, format text NOT NULL, position_base bigint NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now())`,
        `CREATE TABLE ${q('streams')} (
          stream_id text PRIMARY KEY,
          version bigint NOT NULL DEFAULT -1,
          visible_from bigint NOT NULL DEFAULT 0,
          soft_deleted boolean NOT NULL DEFAULT false,
          hard_deleted boolean NOT NULL DEFAULT false,
          metadata ${codec.metadataType}) WITH (fillfactor = 80)`,
        `CREATE TABLE ${q('events')} (
          position bigint NOT NULL,
          tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
          stream_id text NOT NULL,
          version bigint NOT NULL,
          event_id text NOT NULL,
          type text NOT NULL,
          schema_version integer NOT NULL,
          ${payload},
          recorded_at timestamptz NOT NULL DEFAULT now(),
          landed_on_empty boolean NOT NULL DEFAULT false,
          hidden boolean NOT NULL DEFAULT false,
          CONSTRAINT events_pkey PRIMARY KEY (position),
          CONSTRAINT events_stream_version_key UNIQUE (stream_id, version),
          CONSTRAINT events_event_id_key UNIQUE (event_id))`,
        `CREATE TABLE ${q('snapshots')} (
          stream_id text NOT NULL,
          aggregate text NOT NULL,
          state_schema_version integer NOT NULL,
          version bigint NOT NULL,
          state bytea NOT NULL,
          saved_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (stream_id, aggregate))`,
        `CREATE TABLE ${q('checkpoints')} (
          name text PRIMARY KEY,
          position bigint NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now())`,
        `CREATE TABLE ${q('log_head')} (
          singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
          last_position bigint NOT NULL)`,
        `INSERT INTO ${q('log_head')} (last_position) VALUES (-1)`,
        appendFunctionSql(schema, codec, settings, seed),
        readLogFunctionSql(schema, codec, settings),
        deleteFunctionSql(schema, seed),
        setMetadataFunctionSql(schema, codec.metadataType, seed),
      ];
      for (const sql of ddl) await client.query(sql);
      await client.query(`INSERT INTO ${q('store_settings')} (ordering, format, position_base) VALUES ($1, $2, $3)`, [
        settings.ordering,
        settings.format,
        settings.positionBase,
      ]);
      return settings;
    },
  },
];

/** The newest schema version this package knows. */
export const LATEST_VERSION = MIGRATIONS.at(-1)!.version;
