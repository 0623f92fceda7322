/** The comparison operators a normalized query uses. */
export type CompareOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'prefix';

/** A normalized filter: literal values live in the query's parameter array, referenced by slot. */
export type Predicate =
  | { readonly kind: 'cmp'; readonly field: string; readonly path: readonly string[] | undefined; readonly op: CompareOp; readonly slot: number }
  | { readonly kind: 'and'; readonly items: readonly Predicate[] }
  | { readonly kind: 'or'; readonly items: readonly Predicate[] }
  | { readonly kind: 'not'; readonly item: Predicate }
  | { readonly kind: 'true' };

/** A sort key after normalization. */
export type SortKey = { readonly field: string; readonly path: readonly string[] | undefined; readonly desc: boolean };
