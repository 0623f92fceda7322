/**
 * The error a promise rejects with, or a function throws or rejects with; fails the test when it
 * succeeds. Assert on the result's `code` (see {@link codeOf}), not its message.
 */
export async function failureOf(action: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

/** The `code` of an error (`undefined` when it has none), for asserting codes rather than messages. */
export function codeOf(reason: unknown): string | undefined {
  return (reason as { code?: string } | undefined)?.code;
}
