import type { CompiledPredicate } from '../query/compile-predicate.js';
import type { SortKey } from '../query/predicate-tree.js';

/** A field fixed by equality (`eq`) or by a list (`in`), reading its literal from `slot`. */
export type EqualityBound = { readonly field: string; readonly op: 'eq' | 'in'; readonly slot: number };

/** A range on the field after the equality prefix. */
export type RangeBound = {
  readonly field: string;
  readonly lower?: { readonly slot: number; readonly inclusive: boolean };
  readonly upper?: { readonly slot: number; readonly inclusive: boolean };
  /** Strings starting with the literal in this slot. */
  readonly prefix?: number;
};

/** A scan of one index between bounds. */
export type IndexScanNode = {
  readonly type: 'indexScan';
  readonly index: string;
  readonly indexId: number;
  readonly fields: readonly string[];
  readonly unique: boolean;
  /** Entries carry the documents: no separate document reads. */
  readonly covering: boolean;
  readonly equality: readonly EqualityBound[];
  readonly range: RangeBound | undefined;
  /** Walk the index backwards (for a descending order). */
  readonly reverse: boolean;
  /** The scan delivers rows in the query's order, so no sort is needed. */
  readonly ordered: boolean;
  readonly estimatedRows: number;
};

/** How rows are found. */
export type AccessPath =
  | { readonly type: 'fullScan' }
  | IndexScanNode
  | { readonly type: 'indexIntersection'; readonly scans: readonly IndexScanNode[] }
  | { readonly type: 'indexUnion'; readonly scans: readonly IndexScanNode[] };

/** A chosen or considered way to run a query shape. Frozen: safe to cache and share. */
export type QueryPlan = {
  readonly collection: string;
  readonly shape: string;
  readonly access: AccessPath;
  /** Rows are sorted in memory after they are found (`none` when the access path delivers the order). */
  readonly sort: 'none' | 'memory';
  readonly orderBy: readonly SortKey[];
  /** The filter only reads fields of the scanned index: counts need no document. */
  readonly covered: boolean;
  readonly estimatedRows: number;
  /** Estimated work in cost units (about a microsecond each on a quiet machine). */
  readonly estimatedCost: number;
  /** Estimated index entries read plus documents read: what the executor counts as works. */
  readonly estimatedWorks: number;
};

/** A plan with what the executor needs: the compiled filter, shared by every query of the shape. */
export type ExecutablePlan = { readonly plan: QueryPlan; readonly filter: CompiledPredicate };

/** Deep-freezes a plan. */
export function freezePlan<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) freezePlan((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}
