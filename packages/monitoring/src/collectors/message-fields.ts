/**
 * Tolerant readers for diagnostics-channel messages. Messages come from other packages (and other
 * versions of them), so a missing or mistyped field must cost a default, never an exception in
 * the publisher's call stack.
 */

/** The label value used when a message lacks the field that names its series. */
export const UNKNOWN_LABEL = 'unknown';

/** A message as a record of fields, or `undefined` when it is not an object. */
export function fieldsOf(message: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof message === 'object' && message !== null ? (message as Readonly<Record<string, unknown>>) : undefined;
}

/** A finite number, or `undefined`. */
export function numberField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A non-empty string (numbers are stringified, for worker ids), or {@link UNKNOWN_LABEL}. */
export function labelField(value: unknown): string {
  if (typeof value === 'string') return value.length > 0 ? value : UNKNOWN_LABEL;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return UNKNOWN_LABEL;
}

/** Hits over hits plus misses, or `null` when there were none. */
export function ratio(hits: number, misses: number): number | null {
  const total = hits + misses;
  return total > 0 ? hits / total : null;
}
