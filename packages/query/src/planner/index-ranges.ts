import * as lmdb from 'lmdb';
import type { Key } from 'lmdb';

// lmdb-js exports ordered-binary's key encoder at runtime without declaring it.
const keyValueToBuffer = (lmdb as unknown as { keyValueToBuffer(key: unknown): Buffer }).keyValueToBuffer;
import type { StorageId } from '../storage/databases.js';
import type { IndexScanNode } from './plan.js';

/** One contiguous stretch of index keys: `start` inclusive, `end` exclusive (raw ordered-binary bytes). */
export type KeyRange = { start: Buffer; end: Buffer; point: Key[] | undefined };

const ZERO = Buffer.from([0x00]);
const ONE = Buffer.from([0x01]);
const LAST = Buffer.from([0xff]);

const key = (parts: unknown[]): Buffer => keyValueToBuffer(parts) as Buffer;
const join = (a: Buffer, b: Buffer): Buffer => Buffer.concat([a, b]);

function combinations(scan: IndexScanNode, params: readonly unknown[]): unknown[][] {
  let combos: unknown[][] = [[]];
  for (const bound of scan.equality) {
    const value = params[bound.slot];
    const values = bound.op === 'in' ? [...new Set(value as unknown[])] : [value];
    const next: unknown[][] = [];
    for (const combo of combos) for (const v of values) next.push([...combo, v]);
    combos = next;
  }
  return combos;
}

/**
 * The key ranges an index scan reads, in index order. Children of a key prefix follow it after a
 * 0x00 separator in lmdb-js's ordered-binary encoding of arrays, so `prefix + 0x00` and
 * `prefix + 0x01` bracket them. Ranges may over-include (a bound of another type); the executor
 * filters every row with the full predicate, never relying on bounds for correctness.
 */
export function keyRanges(sid: StorageId, scan: IndexScanNode, params: readonly unknown[]): KeyRange[] {
  const out: KeyRange[] = [];
  const full = scan.unique && scan.range === undefined && scan.equality.length === scan.fields.length;
  for (const combo of combinations(scan, params)) {
    const base = [sid, scan.indexId, ...combo];
    if (full) {
      const start = key(base);
      out.push({ start, end: join(start, ONE), point: base as Key[] });
      continue;
    }
    const prefix = key(base);
    const range = scan.range;
    if (range === undefined) {
      out.push({ start: join(prefix, ZERO), end: join(prefix, ONE), point: undefined });
      continue;
    }
    const lower = range.lower && params[range.lower.slot];
    const upper = range.upper && params[range.upper.slot];
    const fix = range.prefix === undefined ? undefined : (params[range.prefix] as string);
    let start: Buffer;
    if (range.lower !== undefined) start = range.lower.inclusive ? key([...base, lower]) : join(key([...base, lower]), ONE);
    else if (fix !== undefined) start = key([...base, fix]);
    else if (typeof upper === 'number') start = key([...base, -Infinity]);
    else if (typeof upper === 'string') start = key([...base, '']);
    else start = join(prefix, ZERO);
    let end: Buffer;
    if (range.upper !== undefined) end = range.upper.inclusive ? join(key([...base, upper]), ONE) : key([...base, upper]);
    // The empty string encodes as its own marker byte, not as a prefix of other strings.
    else if (fix !== undefined) end = fix === '' ? join(prefix, ONE) : join(key([...base, fix]), LAST);
    else if (typeof lower === 'number') end = key([...base, '']);
    else end = join(prefix, ONE);
    if (Buffer.compare(start, end) < 0) out.push({ start, end, point: undefined });
  }
  if (scan.reverse) out.reverse();
  return out;
}

/** The key a scan seeks to when resuming after a row: the row's index key (values, then id). */
export function seekKey(sid: StorageId, scan: IndexScanNode, params: readonly unknown[], values: readonly unknown[], id: string): Buffer {
  const fixed = scan.equality.map((bound) => params[bound.slot]);
  return key(scan.unique ? [sid, scan.indexId, ...fixed, ...values] : [sid, scan.indexId, ...fixed, ...values, id]);
}
