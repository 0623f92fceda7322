import { InvalidArgumentError } from '@strata/core';
import { hashString } from '../internal/string-hash.js';

/** Lowercase identifiers short enough to take the suffixes of the tier's other objects. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;
/** First key of the tier's advisory locks ("SC"); the second is a hash of the table's name. */
const LOCK_CLASS = 0x5343;

/** The qualified, quoted names of the tier's objects and its advisory lock. */
export type PostgresNames = {
  readonly table: string;
  readonly invalidations: string;
  readonly sequence: string;
  readonly setIfUnchanged: string;
  readonly invalidate: string;
  readonly schema: string;
  /** Unqualified, unquoted names for index creation. */
  readonly base: string;
  readonly lockClass: number;
  readonly lockId: number;
};

/** Validates `schema` and `table` (`INVALID_ARGUMENT` naming the option) and derives every name. */
export function postgresNames(schema: unknown, table: unknown): PostgresNames {
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    throw new InvalidArgumentError('schema', 'expected a lowercase identifier (letters, digits, _; at most 40)');
  }
  if (typeof table !== 'string' || !IDENTIFIER.test(table)) {
    throw new InvalidArgumentError('table', 'expected a lowercase identifier (letters, digits, _; at most 40)');
  }
  const q = (name: string): string => `"${schema}"."${name}"`;
  return {
    schema: `"${schema}"`,
    base: table,
    table: q(table),
    invalidations: q(`${table}_invalidations`),
    sequence: q(`${table}_version`),
    setIfUnchanged: q(`${table}_set_if_unchanged`),
    invalidate: q(`${table}_invalidate`),
    lockClass: LOCK_CLASS,
    lockId: hashString(`${schema}.${table}`) | 0,
  };
}
