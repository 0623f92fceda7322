import type { NormalizedQuery } from '../query/normalize-query.js';
import { compareStrings } from '../document/value-order.js';
import { comparePositions, decodeCursor, encodeCursor, sortValues, type SortPosition } from '../query/cursor.js';
import type { Databases, StorageId } from '../storage/databases.js';
import { SortLimitExceededError } from '../errors/query-errors.js';
import { DocumentFetch } from './document-fetch.js';
import { keyRanges, seekKey } from './index-ranges.js';
import type { AccessPath, ExecutablePlan, IndexScanNode } from './plan.js';

/** Where and how a plan runs. */
export type ExecutionContext = {
  readonly dbs: Databases;
  readonly sid: StorageId;
  readonly collection: string;
  readonly maxSortRows: number;
};

/** What one execution did: the rows and the work it took (index entries plus documents read). */
export type Execution = { items: Record<string, unknown>[]; cursor: string | undefined; works: number };

type Doc = Record<string, unknown>;
type Row = { doc: Doc; position: SortPosition | undefined };

/** The lmdb-js range options of one key range of a scan, resuming at `seek` when given. */
function rangeOptions(scan: IndexScanNode, start: Buffer, end: Buffer, seek: Buffer | undefined): { start: Buffer; end: Buffer; reverse?: boolean; inclusiveEnd?: boolean } | undefined {
  if (seek !== undefined) {
    if (!scan.reverse && Buffer.compare(seek, start) > 0) start = seek;
    if (scan.reverse && Buffer.compare(seek, end) < 0) end = seek;
    if (Buffer.compare(start, end) >= 0 && !scan.reverse) return undefined;
  }
  return scan.reverse ? { start: end, end: start, reverse: true, inclusiveEnd: true } : { start, end };
}

/** Ids of the rows an index scan finds, in scan order. `works` counts entries read. */
function* scanIds(
  ctx: ExecutionContext,
  scan: IndexScanNode,
  params: readonly unknown[],
  seek: Buffer | undefined,
  works: { n: number },
): Generator<string> {
  const { index } = ctx.dbs;
  for (const range of keyRanges(ctx.sid, scan, params)) {
    if (range.point !== undefined) {
      works.n++;
      const id = index.get(range.point);
      if (typeof id === 'string') yield id;
      continue;
    }
    const options = rangeOptions(scan, range.start, range.end, seek);
    if (options === undefined) continue;
    if (scan.unique) {
      for (const { value } of index.getRange(options)) {
        works.n++;
        if (typeof value === 'string') yield value;
      }
    } else {
      for (const key of index.getKeys(options)) {
        works.n++;
        yield key[key.length - 1] as string;
      }
    }
  }
}

/** Documents of a covering scan straight from its entries, in scan order. */
function* scanCovering(ctx: ExecutionContext, scan: IndexScanNode, params: readonly unknown[], seek: Buffer | undefined, works: { n: number }): Generator<Doc> {
  for (const range of keyRanges(ctx.sid, scan, params)) {
    const options = rangeOptions(scan, range.start, range.end, seek);
    if (options === undefined) continue;
    for (const { value } of ctx.dbs.indexValues.getRange(options)) {
      works.n++;
      yield value as Doc;
    }
  }
}

/** Access paths read in their own order; intersections and unions are read by {@link foundInIdOrder}. */
type DirectAccess = Exclude<AccessPath, { readonly scans: unknown }>;

/**
 * Documents of a full scan (id order) or an index scan (index order). `expected` bounds how many
 * the caller will take (its limit), which decides whether walking the documents can pay off.
 */
function* candidates(ctx: ExecutionContext, access: DirectAccess, query: NormalizedQuery, after: SortPosition | undefined, expected: number, works: { n: number }): Generator<Doc> {
  const { docs } = ctx.dbs;
  const sid = ctx.sid;
  if (access.type === 'fullScan') {
    const start = after !== undefined && query.orderBy.length === 0 ? [sid, after.id] : [sid];
    for (const { value } of docs.getRange({ start, end: [sid + 1] })) {
      works.n++;
      yield value as Doc;
    }
    return;
  }
  const seek = after !== undefined && access.ordered ? seekKey(sid, access, query.params, after.values, after.id) : undefined;
  if (access.covering) {
    yield* scanCovering(ctx, access, query.params, seek, works);
    return;
  }
  // Documents in index order: a walk serves an index whose order follows the ids, either way.
  const fetch = new DocumentFetch(ctx.dbs, sid, false);
  let left = Math.min(expected, access.estimatedRows);
  try {
    for (const id of scanIds(ctx, access, query.params, seek, works)) {
      const doc = fetch.get(id, left--);
      if (doc !== undefined) yield doc;
    }
  } finally {
    fetch.close();
    works.n += fetch.reads;
  }
}

/** A row an unordered access path found: its id, and its document when a covering entry held it. */
type Found = { id: string; doc: Doc | undefined };

const byId = (a: Found, b: Found): number => compareStrings(a.id, b.id);

/** Appends what one index scan finds to `out`, in scan order; covering entries bring their document. */
function collectScan(ctx: ExecutionContext, scan: IndexScanNode, params: readonly unknown[], works: { n: number }, out: Found[]): void {
  const { index } = ctx.dbs;
  for (const range of keyRanges(ctx.sid, scan, params)) {
    if (range.point !== undefined) {
      works.n++;
      const id = index.get(range.point);
      if (typeof id === 'string') out.push({ id, doc: undefined });
    } else if (scan.unique) {
      for (const { value } of index.getRange({ start: range.start, end: range.end })) {
        works.n++;
        if (typeof value === 'string') out.push({ id: value, doc: undefined });
      }
    } else if (scan.covering) {
      // The entry's value is the document, id included: its key need not be decoded.
      for (const { value } of ctx.dbs.indexValues.getRange({ start: range.start, end: range.end })) {
        works.n++;
        out.push({ id: (value as Doc)['id'] as string, doc: value as Doc });
      }
    } else {
      for (const key of index.getKeys({ start: range.start, end: range.end })) {
        works.n++;
        out.push({ id: key[key.length - 1] as string, doc: undefined });
      }
    }
  }
}

/**
 * Rows an unordered access path finds, deduplicated and in id order: the order a query without
 * `orderBy` returns, so documents can then be fetched in that order and the fetch stops at the
 * limit instead of sorting every match.
 */
function foundInIdOrder(ctx: ExecutionContext, plan: ExecutablePlan, query: NormalizedQuery, works: { n: number }): Found[] {
  const { access } = plan.plan;
  let found: Found[] = [];
  if (access.type === 'indexScan') {
    collectScan(ctx, access, query.params, works, found);
  } else if (access.type === 'indexIntersection') {
    let kept: Set<string> | undefined;
    for (const scan of access.scans) {
      const next = new Set<string>();
      for (const id of scanIds(ctx, scan, query.params, undefined, works)) if (kept === undefined || kept.has(id)) next.add(id);
      kept = next;
    }
    for (const id of kept ?? []) found.push({ id, doc: undefined });
  } else if (access.type === 'indexUnion') {
    for (const scan of access.scans) collectScan(ctx, scan, query.params, works, found);
  } else return found;
  found.sort(byId);
  // A document can be found more than once: by several scans of a union, or by overlapping ranges.
  let kept = 0;
  for (let i = 0; i < found.length; i++) {
    const row = found[i]!;
    if (kept > 0 && found[kept - 1]!.id === row.id) {
      if (found[kept - 1]!.doc === undefined) found[kept - 1] = row;
      continue;
    }
    found[kept++] = row;
  }
  if (kept < found.length) found = found.slice(0, kept);
  return found;
}

function* fetchInIdOrder(ctx: ExecutionContext, found: readonly Found[], after: SortPosition | undefined, works: { n: number }): Generator<Doc> {
  let i = 0;
  if (after !== undefined) while (i < found.length && compareStrings(found[i]!.id, after.id) <= 0) i++;
  const fetch = new DocumentFetch(ctx.dbs, ctx.sid, true);
  try {
    for (; i < found.length; i++) {
      const row = found[i]!;
      if (row.doc !== undefined) {
        yield row.doc;
        continue;
      }
      const doc = fetch.get(row.id, found.length - i);
      if (doc !== undefined) yield doc;
    }
  } finally {
    fetch.close();
    works.n += fetch.reads;
  }
}

function project(doc: Doc, select: readonly string[] | undefined): Doc {
  if (select === undefined) return doc;
  const out: Doc = { id: doc['id'] };
  for (const field of select) if (field in doc) out[field] = doc[field];
  return out;
}

/** Runs a plan: finds, filters, orders, pages. */
export function executePlan(ctx: ExecutionContext, plan: ExecutablePlan, query: NormalizedQuery): Execution {
  const { orderBy, limit, params, select } = query;
  const after = query.after === undefined ? undefined : decodeCursor(query.after, orderBy);
  const want = limit === undefined ? Infinity : limit + 1;
  const works = { n: 0 };
  const filter = plan.filter;
  const rows: Row[] = [];
  // An index plan sorted in memory reads its documents in id order (neighbouring ids are walked):
  // the order a query without `orderBy` returns, and for one with `orderBy` as good as any, since
  // every row is collected and sorted anyway. An index scan expected to sort more rows than allowed
  // streams instead, so the limit stops it before every id has been collected.
  const access = plan.plan.access;
  const oversized = orderBy.length > 0 && plan.plan.estimatedRows > ctx.maxSortRows;
  const direct = access.type === 'fullScan' || (access.type === 'indexScan' && (plan.plan.sort === 'none' || oversized));
  const idOrder = !direct && orderBy.length === 0;
  const streaming = plan.plan.sort === 'none' || idOrder;
  // Positions order an in-memory sort, skip rows up to a cursor and make the next page's cursor.
  const needsPosition = after !== undefined || limit !== undefined || !streaming;
  const source = direct ? candidates(ctx, access, query, after, want, works) : fetchInIdOrder(ctx, foundInIdOrder(ctx, plan, query, works), idOrder ? after : undefined, works);
  for (const doc of source) {
    if (!filter(doc, params)) continue;
    const position = needsPosition ? { values: sortValues(doc, orderBy), id: doc['id'] as string } : undefined;
    if (after !== undefined && comparePositions(position!, after, orderBy) <= 0) continue;
    rows.push({ doc, position });
    if (streaming) {
      if (rows.length >= want) break;
    } else if (rows.length > ctx.maxSortRows) {
      throw new SortLimitExceededError(ctx.collection, orderBy.map((k) => k.field).join(',') || 'id', rows.length, ctx.maxSortRows);
    }
  }
  if (!streaming) rows.sort((a, b) => comparePositions(a.position!, b.position!, orderBy));
  const more = rows.length > (limit ?? Infinity);
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map((row) => project(row.doc, select)),
    cursor: more && last !== undefined ? encodeCursor(last.position!) : undefined,
    works: works.n,
  };
}

/** Counts matching rows; a covered plan reads only index keys. */
export function countPlan(ctx: ExecutionContext, plan: ExecutablePlan, query: NormalizedQuery): { count: number; works: number } {
  const access = plan.plan.access;
  const works = { n: 0 };
  let count = 0;
  if (plan.plan.covered && access.type === 'indexScan' && !access.unique) {
    const probe: Doc = {};
    for (const range of keyRanges(ctx.sid, access, query.params)) {
      for (const key of ctx.dbs.index.getKeys({ start: range.start, end: range.end })) {
        works.n++;
        for (let i = 0; i < access.fields.length; i++) probe[access.fields[i]!] = key[2 + i];
        if (plan.filter(probe, query.params)) count++;
      }
    }
    return { count, works: works.n };
  }
  const source = access.type === 'fullScan' || access.type === 'indexScan' ? candidates(ctx, access, query, undefined, Infinity, works) : fetchInIdOrder(ctx, foundInIdOrder(ctx, plan, query, works), undefined, works);
  for (const doc of source) if (plan.filter(doc, query.params)) count++;
  return { count, works: works.n };
}
