import { InvalidArgumentError } from '@strata/core';
import { fieldPath, isScalar } from '../document/value-order.js';
import type { CompareOp, Predicate, SortKey } from './predicate-tree.js';
import type { FieldType, FindQuery } from './query-types.js';
import { decodeCursor } from './cursor.js';

/** A query split into its shape (the plan-cache key) and its literal values. */
export type NormalizedQuery = {
  /**
   * The query with literals stripped, as tokens (field names, operators, punctuation): equal for
   * queries that differ only in values. Field names come from the query's own property keys, which
   * the engine interns, so comparing two shapes compares pointers.
   */
  readonly tokens: readonly string[];
  /** A hash of {@link tokens}, for the plan cache. */
  readonly hash: number;
  readonly predicate: Predicate;
  /** Literal values by slot. */
  readonly params: readonly unknown[];
  readonly orderBy: readonly SortKey[];
  readonly limit: number | undefined;
  readonly after: string | undefined;
  readonly select: readonly string[] | undefined;
};

/** What the normalizer checks fields against. */
export type QuerySchema = {
  readonly collection: string;
  /** Declared fields and their types; `undefined` accepts any field name. */
  readonly fields: Readonly<Record<string, FieldType>> | undefined;
};

const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'prefix']);
const TRUE: Predicate = Object.freeze({ kind: 'true' });
const MAX_IN = 10_000;
const paths = new Map<string, readonly string[] | undefined>();

function pathOf(field: string): readonly string[] | undefined {
  let path = paths.get(field);
  if (path === undefined && !paths.has(field)) {
    path = fieldPath(field);
    if (paths.size < 10_000) paths.set(field, path);
  }
  return path;
}

function fail(argument: string, message: string): never {
  throw new InvalidArgumentError(argument, message);
}

const tokenIds = new Map<string, number>();

/** Ids of the tokens every query uses (punctuation, keywords, operators); field names come after. */
const T = {
  '{': 1,
  '}': 2,
  ',': 3,
  '[': 4,
  ']': 5,
  '|': 6,
  '|L': 7,
  '+': 8,
  '-': 9,
  and: 10,
  or: 11,
  not: 12,
} as const;
const FIRST_FIELD_ID = 32;

/** The id of an operator token (`OPERATORS` order, after the fixed ones). */
function operatorId(op: CompareOp): number {
  switch (op) {
    case 'eq':
      return 13;
    case 'ne':
      return 14;
    case 'gt':
      return 15;
    case 'gte':
      return 16;
    case 'lt':
      return 17;
    case 'lte':
      return 18;
    case 'in':
      return 19;
    default:
      return 20;
  }
}

function tokenId(token: string): number {
  let id = tokenIds.get(token);
  if (id === undefined) {
    id = tokenIds.size + FIRST_FIELD_ID;
    // Field names are caller data: stop remembering new ones past a bound and hash them instead.
    if (tokenIds.size < 100_000) tokenIds.set(token, id);
    else for (let i = 0; i < token.length; i++) id = Math.imul(id ^ token.charCodeAt(i), 16777619);
  }
  return id;
}

/**
 * The argument path an error names: `key` under `at`, then `.op` and `[index]` when given. Built
 * only when a check fails, so valid queries never pay for the strings.
 */
function argument(at: string, key: string, op?: string, index?: number): string {
  return `${at}.${key}${op === undefined ? '' : `.${op}`}${index === undefined ? '' : `[${index}]`}`;
}

/** Predicates collected for one filter, without an array until there are two. */
class OnePredicateOrMore {
  #first: Predicate | undefined;
  #all: Predicate[] | undefined;

  push(item: Predicate): void {
    if (this.#first === undefined) this.#first = item;
    else (this.#all ??= [this.#first]).push(item);
  }

  /** `TRUE` for none, the one predicate, or all of them joined by `and`. */
  predicate(): Predicate {
    if (this.#all !== undefined) return { kind: 'and', items: this.#all };
    return this.#first ?? TRUE;
  }
}

class Normalizer {
  readonly params: unknown[] = [];
  readonly tokens: string[] = [];
  hash = 2166136261;
  constructor(readonly schema: QuerySchema) {}

  /** A field name (or any token that is not fixed). */
  token(token: string): void {
    this.tokens.push(token);
    this.hash = Math.imul(this.hash ^ tokenId(token), 16777619);
  }

  /** A fixed token (punctuation, an operator or a keyword) with its id. */
  fixed(token: string, id: number): void {
    this.tokens.push(token);
    this.hash = Math.imul(this.hash ^ id, 16777619);
  }

  where(where: unknown, at: string): Predicate {
    if (where === null || typeof where !== 'object' || Array.isArray(where)) fail(at, 'must be an object');
    // Most filters hold one condition: its predicate needs no array around it.
    const items = new OnePredicateOrMore();
    this.fixed('{', T['{']);
    for (const key in where as Record<string, unknown>) {
      const value = (where as Record<string, unknown>)[key];
      if (value === undefined) continue;
      if (key === 'and' || key === 'or') {
        if (!Array.isArray(value) || value.length === 0) fail(argument(at, key), 'must be a non-empty array of filters');
        this.fixed(key, T[key]);
        this.fixed('[', T['[']);
        const branches = (value as unknown[]).map((branch, i) => this.where(branch, argument(at, key, undefined, i)));
        this.fixed(']', T[']']);
        items.push(branches.length === 1 ? branches[0]! : { kind: key, items: branches });
      } else if (key === 'not') {
        this.fixed('not', T['not']);
        items.push({ kind: 'not', item: this.where(value, argument(at, 'not')) });
      } else {
        this.field(key, value, at, items);
      }
      this.fixed(',', T[',']);
    }
    this.fixed('}', T['}']);
    return items.predicate();
  }

  /** One field's condition; `parent` is the path of the filter holding it (for error messages). */
  field(field: string, condition: unknown, parent: string, out: OnePredicateOrMore): void {
    const type = this.checkField(field, parent, field);
    this.token(field);
    if (condition === null || typeof condition !== 'object') {
      out.push(this.cmp(field, 'eq', this.scalar(condition, type, parent, field)));
      return;
    }
    if (Array.isArray(condition)) fail(argument(parent, field), 'must be a value or an object of operators (use `in` for lists)');
    let any = false;
    for (const op in condition as Record<string, unknown>) {
      const value = (condition as Record<string, unknown>)[op];
      if (value === undefined) continue;
      if (!OPERATORS.has(op)) fail(argument(parent, field, op), `unknown operator '${op}' (expected one of ${[...OPERATORS].join(', ')})`);
      any = true;
      if (op === 'in') {
        if (!Array.isArray(value) || value.length > MAX_IN) fail(argument(parent, field, 'in'), `must be an array of at most ${MAX_IN} values`);
        out.push(this.cmp(field, 'in', (value as unknown[]).map((v, i) => this.scalar(v, type, parent, field, 'in', i))));
      } else if (op === 'prefix') {
        if (typeof value !== 'string') fail(argument(parent, field, 'prefix'), 'must be a string');
        if (type !== undefined && type !== 'string') fail(argument(parent, field, 'prefix'), `field '${field}' is a ${type}, not a string`);
        out.push(this.cmp(field, 'prefix', value));
      } else if (op === 'eq' || op === 'ne') {
        out.push(this.cmp(field, op, this.scalar(value, type, parent, field, op)));
      } else {
        if (typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value)))
          fail(argument(parent, field, op), 'must be a string or a finite number');
        if (type !== undefined && typeof value !== type) fail(argument(parent, field, op), `field '${field}' is a ${type}`);
        out.push(this.cmp(field, op as CompareOp, value));
      }
    }
    if (!any) fail(argument(parent, field), 'names no operator');
  }

  cmp(field: string, op: CompareOp, value: unknown): Predicate {
    const slot = this.params.length;
    this.params.push(value);
    this.fixed(op, operatorId(op));
    return { kind: 'cmp', field, path: pathOf(field), op, slot };
  }

  /** Checks a literal of `field`; an error names `parent.field`, `.op` and `[index]` when given. */
  scalar(value: unknown, type: FieldType | undefined, parent: string, field: string, op?: string, index?: number): unknown {
    if (!isScalar(value)) fail(argument(parent, field, op, index), 'must be a string, a finite number, a boolean or null');
    if (type !== undefined && value !== null && typeof value !== type) fail(argument(parent, field, op, index), `must be a ${type} or null`);
    return value;
  }

  /** The declared type of `field`; an error names `at`, or `at.key` when `key` is given. */
  checkField(field: string, at: string, key?: string): FieldType | undefined {
    if (field.length === 0) fail(key === undefined ? at : argument(at, key), 'field names must not be empty');
    if (field === 'id') return 'string';
    const fields = this.schema.fields;
    if (fields === undefined) return undefined;
    const type = fields[field];
    if (type === undefined) fail(key === undefined ? at : argument(at, key), `unknown field '${field}' in collection '${this.schema.collection}'`);
    return type;
  }
}

const NO_ORDER: readonly SortKey[] = Object.freeze([]);

function normalizeOrderBy(orderBy: FindQuery['orderBy'], normalizer: Normalizer): readonly SortKey[] {
  if (orderBy === undefined) return NO_ORDER;
  const list = typeof orderBy === 'string' ? [{ field: orderBy }] : Array.isArray(orderBy) ? orderBy : [orderBy];
  return (list as unknown[]).map((entry, i) => {
    const at = `orderBy[${i}]`;
    if (entry === null || typeof entry !== 'object') fail(at, 'must be { field, direction? }');
    const { field, direction } = entry as { field?: unknown; direction?: unknown };
    if (typeof field !== 'string') fail(`${at}.field`, 'must be a string');
    normalizer.checkField(field, `${at}.field`);
    if (direction !== undefined && direction !== 'asc' && direction !== 'desc')
      fail(`${at}.direction`, "must be 'asc' or 'desc'");
    normalizer.token(field);
    if (direction === 'desc') normalizer.fixed('-', T['-']);
    else normalizer.fixed('+', T['+']);
    return { field, path: pathOf(field), desc: direction === 'desc' };
  });
}

const QUERY_KEYS = new Set(['where', 'orderBy', 'limit', 'after', 'select']);

/** Validates a query and splits it into shape and values. Bad input fails with `INVALID_ARGUMENT` naming the part. */
export function normalizeQuery(query: FindQuery | undefined, schema: QuerySchema): NormalizedQuery {
  if (query === undefined) query = {};
  if (query === null || typeof query !== 'object') fail('query', 'must be an object');
  for (const key in query) if (!QUERY_KEYS.has(key)) fail(`query.${key}`, 'unknown query option');
  const normalizer = new Normalizer(schema);
  const predicate = query.where === undefined ? TRUE : normalizer.where(query.where, 'where');
  normalizer.fixed('|', T['|']);
  const orderBy = normalizeOrderBy(query.orderBy, normalizer);
  const { limit, after, select } = query;
  if (limit !== undefined) {
    if (!Number.isSafeInteger(limit) || limit < 1) fail('limit', 'must be a positive integer');
    normalizer.fixed('|L', T['|L']);
  }
  if (after !== undefined) {
    if (typeof after !== 'string' || after.length === 0) fail('after', 'must be a cursor string');
    decodeCursor(after, orderBy);
  }
  if (select !== undefined) {
    if (!Array.isArray(select)) fail('select', 'must be an array of field names');
    select.forEach((field, i) => {
      if (typeof field !== 'string') fail(`select[${i}]`, 'must be a field name');
      normalizer.checkField(field, `select[${i}]`);
    });
  }
  return {
    tokens: normalizer.tokens,
    hash: normalizer.hash >>> 0,
    predicate,
    params: normalizer.params,
    orderBy,
    limit,
    after,
    select,
  };
}

/** The shape as one string (for plans and explain output). */
export function shapeText(query: NormalizedQuery): string {
  return query.tokens.join(' ');
}
