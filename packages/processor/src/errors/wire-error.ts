import { CommandRejectedError, isStrataError, StrataError, WrongExpectedVersionError, type ExpectedVersion } from '@strata/core';

/**
 * An error as it crosses a thread boundary. Structured clone keeps an `Error`'s message but not its
 * class, `code` or brand, so errors travel as plain data and are rebuilt on the other side.
 */
export type WireError = {
  code: string;
  name: string;
  message: string;
  details: Record<string, unknown>;
  cause?: { name: string; message: string; stack?: string };
};

/**
 * The typed error a failed command ends with: a `StrataError` keeps its code; anything else a
 * decider throws becomes `COMMAND_REJECTED` with the message preserved and the original as `cause`.
 */
export function toCommandError(error: unknown, aggregate: string, streamId: string): StrataError {
  if (isStrataError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : typeof error;
  return new CommandRejectedError(message, { cause: error, details: { aggregate, streamId, errorName: name } });
}

/** Flattens a typed error for `postMessage`. */
export function toWire(error: StrataError): WireError {
  const wire: WireError = { code: error.code, name: error.name, message: error.message, details: safeDetails(error.details) };
  const cause: unknown = error.cause;
  if (cause instanceof Error) wire.cause = { name: cause.name, message: cause.message, stack: cause.stack };
  else if (cause !== undefined) wire.cause = { name: typeof cause, message: String(cause) };
  return wire;
}

/** Rebuilds a typed error from its wire form (the concurrency error with its own class). */
export function fromWire(wire: WireError): StrataError {
  const cause = wire.cause === undefined ? undefined : rebuildCause(wire.cause);
  const options = cause === undefined ? { details: wire.details } : { details: wire.details, cause };
  if (wire.code === 'WRONG_EXPECTED_VERSION' && typeof wire.details.streamId === 'string') {
    const error = new WrongExpectedVersionError(
      wire.details.streamId,
      wire.details.expected as ExpectedVersion,
      Number(wire.details.actual),
      options,
    );
    return error;
  }
  const error =
    wire.code === 'COMMAND_REJECTED'
      ? new CommandRejectedError(wire.message, options)
      : new StrataError(wire.code, wire.message, options);
  error.name = wire.name;
  return error;
}

function rebuildCause(cause: NonNullable<WireError['cause']>): Error {
  const error = new Error(cause.message);
  error.name = cause.name;
  if (cause.stack !== undefined) error.stack = cause.stack;
  return error;
}

/** Details are meant to be JSON-safe; anything that would not clone is dropped rather than failing the answer. */
function safeDetails(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  try {
    return structuredClone({ ...details });
  } catch {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(details)) {
      try {
        out[key] = structuredClone(value);
      } catch {
        out[key] = String(value);
      }
    }
    return out;
  }
}
