import pg from 'pg';
import type { PgTypeParsers } from '../pool/pg-pool.js';

const INT8 = 20;

function parseInt8(value: string): number {
  return Number(value);
}

/**
 * Type parsers that read `bigint` (int8) columns as JavaScript numbers instead of strings, for
 * columns whose values are known to be safe integers (positions, versions, counts). Pass it as a
 * query's `types`; every other type keeps pg's default parser.
 */
export const int8AsNumber: PgTypeParsers = Object.freeze({
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (oid === INT8 && format !== 'binary') return parseInt8;
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  },
});
