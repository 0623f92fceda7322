import { shapeText, type NormalizedQuery } from '../query/normalize-query.js';
import type { Predicate, SortKey } from '../query/predicate-tree.js';
import type { CompiledIndex } from '../storage/index-definition.js';
import { Cost, sortCost } from './cost-model.js';
import { freezePlan, type AccessPath, type EqualityBound, type IndexScanNode, type QueryPlan, type RangeBound } from './plan.js';
import { selectivity, typedBounds } from './selectivity.js';
import { estimateEqual, estimateRange, type Statistics } from './statistics.js';

type Comparison = Extract<Predicate, { kind: 'cmp' }>;

/** What the optimizer plans against. */
export type PlanningContext = {
  readonly collection: string;
  readonly indexes: readonly CompiledIndex[];
  readonly stats: Statistics;
  /** Plans that would sort more rows in memory are taken only when no other plan exists. */
  readonly maxSortRows: number;
};

// Added to the cost of a plan that would fail with SORT_LIMIT_EXCEEDED: it ranks last, and is
// chosen (and fails with a clear error) only when no plan delivers the order.
const OVER_SORT_LIMIT = 1e12;

const MAX_POINT_RANGES = 1_000;

function conjuncts(predicate: Predicate): readonly Predicate[] {
  if (predicate.kind === 'and') return predicate.items;
  if (predicate.kind === 'true') return [];
  return [predicate];
}

function fieldsOf(predicate: Predicate, out: Set<string>): Set<string> {
  if (predicate.kind === 'cmp') out.add(predicate.field);
  else if (predicate.kind === 'not') fieldsOf(predicate.item, out);
  else if (predicate.kind === 'and' || predicate.kind === 'or') for (const item of predicate.items) fieldsOf(item, out);
  return out;
}

type Candidate = { scan: IndexScanNode; consumed: Set<Predicate>; ranges: number };

function scanFor(
  index: CompiledIndex,
  parts: readonly Predicate[],
  params: readonly unknown[],
  orderBy: readonly SortKey[],
  stats: Statistics,
): Candidate | undefined {
  const cmps = parts.filter((p): p is Comparison => p.kind === 'cmp');
  const consumed = new Set<Predicate>();
  const equality: EqualityBound[] = [];
  let ranges = 1;
  for (const field of index.fields) {
    const hit = cmps.find((c) => c.field === field && (c.op === 'eq' || c.op === 'in'));
    if (hit === undefined) break;
    const width = hit.op === 'in' ? new Set(params[hit.slot] as unknown[]).size : 1;
    if (ranges * width > MAX_POINT_RANGES) break;
    ranges *= width;
    consumed.add(hit);
    equality.push({ field, op: hit.op as 'eq' | 'in', slot: hit.slot });
  }
  let range: RangeBound | undefined;
  const next = index.fields[equality.length];
  if (next !== undefined) {
    const lower = cmps.find((c) => c.field === next && (c.op === 'gt' || c.op === 'gte'));
    const upper = cmps.find((c) => c.field === next && (c.op === 'lt' || c.op === 'lte'));
    const prefix = cmps.find((c) => c.field === next && c.op === 'prefix');
    if (lower || upper || prefix) {
      range = {
        field: next,
        ...(lower ? { lower: { slot: lower.slot, inclusive: lower.op === 'gte' } } : {}),
        ...(upper ? { upper: { slot: upper.slot, inclusive: upper.op === 'lte' } } : {}),
        ...(prefix ? { prefix: prefix.slot } : {}),
      };
      for (const c of [lower, upper, prefix]) if (c) consumed.add(c);
    }
  }
  const rest = index.fields.slice(equality.length);
  const singlePoint = ranges === 1 && equality.every((e) => e.op === 'eq');
  let ordered = false;
  let reverse = false;
  if (singlePoint) {
    if (orderBy.length === 0) ordered = range === undefined && rest.length === 0;
    else if (orderBy.length === rest.length && orderBy.every((key, i) => key.field === rest[i] && key.desc === orderBy[0]!.desc)) {
      ordered = true;
      reverse = orderBy[0]!.desc;
    }
  }
  if (equality.length === 0 && range === undefined && !(ordered && orderBy.length > 0)) return undefined;
  const scan: IndexScanNode = {
    type: 'indexScan',
    index: index.name,
    indexId: index.id,
    fields: index.fields,
    unique: index.unique,
    covering: index.covering === true,
    equality,
    range,
    reverse,
    ordered,
    estimatedRows: estimateScanRows(index, equality, range, params, stats),
  };
  return { scan, consumed, ranges };
}

function estimateScanRows(
  index: CompiledIndex,
  equality: readonly EqualityBound[],
  range: RangeBound | undefined,
  params: readonly unknown[],
  stats: Statistics,
): number {
  const rows = stats.rows;
  const indexStats = stats.indexes.get(index.id);
  let estimate = rows;
  if (equality.length > 0) {
    const first = equality[0]!;
    const histogram = stats.fields.get(first.field);
    const values = first.op === 'in' ? [...new Set(params[first.slot] as unknown[])] : [params[first.slot]];
    const points = (equality.slice(1) as EqualityBound[]).reduce(
      (n, e) => n * (e.op === 'in' ? new Set(params[e.slot] as unknown[]).size : 1),
      values.length,
    );
    const leading = histogram
      ? values.reduce<number>((sum, v) => sum + estimateEqual(histogram, v), 0)
      : (rows / Math.max(1, indexStats?.distinctPrefixes[0] ?? 20)) * values.length;
    const distinct = indexStats?.distinctPrefixes[equality.length - 1];
    estimate = equality.length === 1 || distinct === undefined ? leading : Math.min(leading, (rows / Math.max(1, distinct)) * points);
  }
  if (range !== undefined) {
    const histogram = equality.length === 0 ? stats.fields.get(range.field) : undefined;
    let fraction = range.prefix !== undefined && range.lower === undefined && range.upper === undefined ? 0.1 : 0.3;
    if (histogram !== undefined && rows > 0) {
      const [lower, upper] =
        range.lower || range.upper
          ? typedBounds(range.lower && params[range.lower.slot], range.upper && params[range.upper.slot])
          : [params[range.prefix!], `${params[range.prefix!] as string}\uffff`];
      fraction = Math.min(1, estimateRange(histogram, lower, upper) / rows);
    }
    estimate *= fraction;
  }
  return Math.max(index.unique && equality.length === index.fields.length ? Math.min(1, estimate) : estimate, 0);
}

function planOf(
  context: PlanningContext,
  query: NormalizedQuery,
  access: AccessPath,
  sorted: boolean,
  scanned: number,
  entries: number,
  fetched: number,
  matching: number,
  seeks: number,
  covered: boolean,
): QueryPlan {
  const sort = sorted ? 'none' : 'memory';
  const estimatedCost =
    seeks * Cost.seek +
    entries * Cost.indexEntry +
    fetched * (Cost.fetch + Cost.filter) +
    scanned * (Cost.scan + Cost.filter) +
    (sorted ? 0 : sortCost(matching)) +
    (!sorted && query.orderBy.length > 0 && matching > context.maxSortRows ? OVER_SORT_LIMIT : 0);
  return freezePlan({
    collection: context.collection,
    shape: shapeText(query),
    access,
    sort,
    orderBy: query.orderBy,
    covered,
    estimatedRows: Math.round(matching * 100) / 100,
    estimatedCost: Math.round(estimatedCost * 100) / 100,
    estimatedWorks: Math.round(scanned + entries + fetched),
  });
}

/**
 * Enumerates the access paths for a query (full scan, each usable index scan, the intersection
 * of the two most selective index scans, a union of index scans for a top-level `or`), costs
 * each with the statistics and returns them cheapest first.
 */
export function enumeratePlans(query: NormalizedQuery, context: PlanningContext): QueryPlan[] {
  const { stats } = context;
  const { params, orderBy, limit } = query;
  const rows = stats.rows;
  const sel = selectivity(query.predicate, params, stats);
  const matching = rows * sel;
  const want = limit === undefined ? Infinity : limit + 1;
  const plans: QueryPlan[] = [];

  const fullScanned = orderBy.length === 0 ? Math.min(rows, want / Math.max(sel, 1e-9)) : rows;
  plans.push(planOf(context, query, { type: 'fullScan' }, orderBy.length === 0, fullScanned, 0, 0, matching, 1, false));

  const parts = conjuncts(query.predicate);
  const queryFields = fieldsOf(query.predicate, new Set());
  const candidates: Candidate[] = [];
  for (const index of context.indexes) {
    const candidate = scanFor(index, parts, params, orderBy, stats);
    if (candidate === undefined) continue;
    candidates.push(candidate);
    const { scan, consumed, ranges } = candidate;
    const residual = parts.filter((p) => !consumed.has(p));
    const residualSel = residual.reduce((product, p) => product * selectivity(p, params, stats), 1);
    const read = scan.ordered ? Math.min(scan.estimatedRows, want / Math.max(residualSel, 1e-9)) : scan.estimatedRows;
    const covered = [...queryFields].every((f) => index.fields.includes(f) && !f.includes('.'));
    plans.push(planOf(context, query, scan, scan.ordered, 0, read, scan.covering ? 0 : read, Math.min(matching, scan.estimatedRows), ranges, covered));
  }

  const filtering = candidates
    .filter((c) => c.scan.equality.length > 0 || c.scan.range !== undefined)
    .sort((a, b) => a.scan.estimatedRows - b.scan.estimatedRows);
  const subsumes = (x: Candidate, y: Candidate): boolean => [...y.consumed].every((p) => x.consumed.has(p));
  const pair = filtering.flatMap((a, i) => filtering.slice(i + 1).map((b) => [a, b] as const)).find(([a, b]) => !subsumes(a, b) && !subsumes(b, a));
  if (pair !== undefined && rows > 0) {
    const [a, b] = pair;
    const both = (a.scan.estimatedRows * b.scan.estimatedRows) / rows;
    const scans = [{ ...a.scan, ordered: false, reverse: false }, { ...b.scan, ordered: false, reverse: false }];
    const entries = a.scan.estimatedRows + b.scan.estimatedRows;
    plans.push(planOf(context, query, { type: 'indexIntersection', scans }, false, 0, entries, both, Math.min(both, matching), a.ranges + b.ranges, false));
  }

  if (query.predicate.kind === 'or') {
    const branches = query.predicate.items.map((branch) => {
      const options = context.indexes
        .map((index) => scanFor(index, conjuncts(branch), params, [], stats))
        .filter((c): c is Candidate => c !== undefined && (c.scan.equality.length > 0 || c.scan.range !== undefined));
      return options.sort((x, y) => x.scan.estimatedRows - y.scan.estimatedRows)[0];
    });
    if (branches.every((b) => b !== undefined)) {
      const chosen = branches as Candidate[];
      const entries = chosen.reduce((sum, c) => sum + c.scan.estimatedRows, 0);
      const seeks = chosen.reduce((sum, c) => sum + c.ranges, 0);
      const scans = chosen.map((c) => ({ ...c.scan, ordered: false, reverse: false }));
      plans.push(planOf(context, query, { type: 'indexUnion', scans }, false, 0, entries, entries, Math.min(matching, entries), seeks, false));
    }
  }
  return plans.sort((x, y) => x.estimatedCost - y.estimatedCost);
}
