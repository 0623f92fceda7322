import { createHash } from 'node:crypto';
import type { AppendLimits } from '@strata/core';
import type { PgPool } from '@strata/pool';
import type { Serializer } from '@strata/serialization';
import type { EventCodec, PayloadFormat } from '../codec/event-codec.js';

/**
 * How global positions are assigned:
 * - `concurrent`: from the appending transaction's id, so appends run in parallel and readers
 *   stop below the oldest transaction still running (see the README's ordering model);
 * - `strict`: from a counter row every append locks until it commits, so positions are gapless
 *   and in commit order, appends to the whole store run one at a time, and readers never wait.
 */
export type Ordering = 'concurrent' | 'strict';

/** Facts fixed when a schema is created, kept in its `store_settings` table. */
export type StoreSettings = {
  readonly ordering: Ordering;
  readonly format: PayloadFormat;
  /** `concurrent` only: the transaction id at creation; positions count transactions from it. */
  readonly positionBase: number;
};

/**
 * Positions reserved per transaction in `concurrent` ordering: an event's position is
 * `(transaction id - base) * 16384 + its index in the append`, which is why an append holds at
 * most 16,384 events. Safe integers last for 2^39 (about 5.5 × 10^11) transactions.
 */
export const POSITIONS_PER_TRANSACTION = 16_384;

/**
 * How the store's functions are declared. Every statement in them is a key lookup, but PL/pgSQL
 * caches plans per connection, made from the statistics of the moment: a plan made while a table
 * was new and empty (a sequential scan) would otherwise stay in use, growing with the table, until
 * the first ANALYZE. Turning sequential scans off inside the functions keeps every plan an index
 * lookup whatever the statistics say.
 */
export const FUNCTION_OPTIONS = 'LANGUAGE plpgsql SET enable_seqscan = off';

/** Everything the parts of a store share. */
export type StoreContext = {
  readonly pool: PgPool;
  /** The schema name (validated: lowercase letters, digits and `_`). */
  readonly schema: string;
  readonly codec: EventCodec;
  /** Encodes snapshot state (and stream metadata in the binary formats). */
  readonly values: Serializer;
  readonly settings: StoreSettings;
  readonly limits: AppendLimits;
};

/** The quoted, schema-qualified name of a table or function of the store. */
export function qualified(schema: string, name: string): string {
  return `"${schema}"."${name}"`;
}

/** A named statement: parsed and planned once per connection. The name is derived from the text. */
export type Statement = { readonly name: string; readonly text: string };

/** Names a statement after a hash of its text, so one name always goes with one text. */
export function statement(text: string): Statement {
  return Object.freeze({ name: `strata_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text });
}

/**
 * A per-schema seed for the advisory-lock keys of streams, so that stores in different schemas
 * (and other applications' advisory locks) do not contend on the same keys.
 */
export function lockSeed(schema: string): number {
  return createHash('sha1').update(`strata:${schema}`).digest().readUIntBE(0, 6);
}
