/**
 * Structural equality of two decoded payloads (plain objects, arrays, primitives, Dates, byte
 * arrays). Key order is ignored; an absent key equals a key holding `undefined`. Used to tell an
 * idempotent retry (same content) from a `DUPLICATE_EVENT` (other content).
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], other[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of Object.keys(left)) {
    if (!deepEqual(left[key], right[key])) return false;
  }
  for (const key of Object.keys(right)) {
    if (!(key in left) && right[key] !== undefined) return false;
  }
  return true;
}

/** Whether a stored event and a retried one carry the same content. */
export function sameEventContent(
  stored: { type: string; data: unknown; metadata: Record<string, unknown>; schemaVersion: number },
  retried: { type: string; data: unknown; metadata?: Record<string, unknown> | undefined; schemaVersion?: number | undefined },
): boolean {
  return (
    stored.type === retried.type &&
    stored.schemaVersion === (retried.schemaVersion ?? 1) &&
    deepEqual(stored.data, retried.data) &&
    deepEqual(stored.metadata, retried.metadata ?? {})
  );
}
