import type { Scalar } from '../document/value-order.js';

/** Operators of one field condition. Ranges compare values of the same type only. */
export type FieldCondition = {
  eq?: Scalar;
  ne?: Scalar;
  gt?: string | number;
  gte?: string | number;
  lt?: string | number;
  lte?: string | number;
  in?: readonly Scalar[];
  /** Strings that start with this prefix. */
  prefix?: string;
};

/**
 * A filter: `{ field: value }` is equality, `{ field: { gt: 1, lt: 5 } }` combines operators (all must
 * hold), `and`/`or` take lists of filters, `not` negates one. Sibling keys are and-ed.
 */
export type Where = {
  and?: readonly Where[];
  or?: readonly Where[];
  not?: Where;
  [field: string]: Scalar | FieldCondition | readonly Where[] | Where | undefined;
};

/** One sort key; `id` breaks ties in the direction of the last key. */
export type OrderBy = { field: string; direction?: 'asc' | 'desc' };

/** A query of {@link Collection.find}. */
export type FindQuery = {
  where?: Where;
  /** A field name (ascending), one sort key, or several. Without it, results come in id order. */
  orderBy?: string | OrderBy | readonly OrderBy[];
  /** At most this many results (default: all). */
  limit?: number;
  /** The `cursor` of the previous page: continue after its last row (keyset pagination). */
  after?: string;
  /** Return only these fields (and `id`). */
  select?: readonly string[];
};

/** A page of results. */
export type FindResult<T> = {
  items: T[];
  /** Pass as `after` to get the next page; `undefined` when this page ended the results. */
  cursor: string | undefined;
};

/** Declared field types, checked on writes and in queries. */
export type FieldType = 'string' | 'number' | 'boolean';
