import { OverloadedError } from '@strata/core';

/**
 * An `OverloadedError` without a stack trace. Under overload a batcher rejects callers by the
 * hundred thousand per second, and capturing a stack is most of an error's cost (several times
 * the work of batching one item), so shedding load with full stacks would itself overload the
 * process. The stack would only point at the caller's own `add` call, which the caller knows.
 * Node's own internals trim stacks the same way.
 */
export function createOverloadedError(what: string, limit: number): OverloadedError {
  const stackTraceLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
  } catch {
    // Frozen intrinsics (`--frozen-intrinsics`): keep the stack rather than fail the caller.
    return new OverloadedError(what, limit);
  }
  try {
    return new OverloadedError(what, limit);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
