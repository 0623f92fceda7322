import { ErrorCodes } from './error-codes.js';
import { StrataError, type StrataErrorOptions } from './strata-error.js';
import type { ExpectedVersion } from '../events/expected-version.js';

/** An append's expected version did not match the stream. Nothing of the append was stored. */
export class WrongExpectedVersionError extends StrataError {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  /** The stream's actual version (-1 when it has no events). */
  readonly actual: number;

  constructor(streamId: string, expected: ExpectedVersion, actual: number, options: StrataErrorOptions = {}) {
    super(
      ErrorCodes.WRONG_EXPECTED_VERSION,
      `Wrong expected version for stream '${streamId}': expected ${String(expected)}, actual ${actual}`,
      { ...options, details: { streamId, expected, actual, ...options.details } },
    );
    this.name = 'WrongExpectedVersionError';
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** The stream was hard-deleted (tombstoned); it refuses every further append. */
export class StreamDeletedError extends StrataError {
  readonly streamId: string;
  constructor(streamId: string, options: StrataErrorOptions = {}) {
    super(ErrorCodes.STREAM_DELETED, `Stream '${streamId}' has been deleted`, {
      ...options,
      details: { streamId, ...options.details },
    });
    this.name = 'StreamDeletedError';
    this.streamId = streamId;
  }
}

/** An event id is already stored with other content (or in another stream). */
export class DuplicateEventError extends StrataError {
  readonly eventId: string;
  constructor(eventId: string, reason: string, options: StrataErrorOptions = {}) {
    super(ErrorCodes.DUPLICATE_EVENT, `Event id '${eventId}' is already stored: ${reason}`, {
      ...options,
      details: { eventId, ...options.details },
    });
    this.name = 'DuplicateEventError';
    this.eventId = eventId;
  }
}

/** A caller passed a value the API does not accept. `details.argument` names it. */
export class InvalidArgumentError extends StrataError {
  constructor(argument: string, message: string, options: StrataErrorOptions = {}) {
    super(ErrorCodes.INVALID_ARGUMENT, `Invalid ${argument}: ${message}`, {
      ...options,
      details: { argument, ...options.details },
    });
    this.name = 'InvalidArgumentError';
  }
}

/** A value could not be encoded, or stored bytes could not be decoded. */
export class SerializationError extends StrataError {
  constructor(message: string, options: StrataErrorOptions = {}) {
    super(ErrorCodes.SERIALIZATION_FAILED, message, options);
    this.name = 'SerializationError';
  }
}

/** No codec or schema is registered for an event type (or schema version). */
export class UnknownEventTypeError extends StrataError {
  readonly eventType: string;
  constructor(eventType: string, options: StrataErrorOptions & { schemaVersion?: number } = {}) {
    const suffix = options.schemaVersion === undefined ? '' : ` (schema version ${options.schemaVersion})`;
    super(ErrorCodes.UNKNOWN_EVENT_TYPE, `Unknown event type '${eventType}'${suffix}`, {
      ...options,
      details: { eventType, schemaVersion: options.schemaVersion, ...options.details },
    });
    this.name = 'UnknownEventTypeError';
    this.eventType = eventType;
  }
}

/** A circuit breaker is open: the dependency is failing and calls fail fast. */
export class CircuitOpenError extends StrataError {
  constructor(name: string, options: StrataErrorOptions = {}) {
    super(ErrorCodes.CIRCUIT_OPEN, `Circuit '${name}' is open: failing fast until the dependency recovers`, {
      ...options,
      details: { circuit: name, ...options.details },
    });
    this.name = 'CircuitOpenError';
  }
}

/** No pooled connection became free within the acquisition timeout. */
export class PoolTimeoutError extends StrataError {
  constructor(timeoutMs: number, options: StrataErrorOptions = {}) {
    super(ErrorCodes.POOL_TIMEOUT, `No connection available within ${timeoutMs} ms`, {
      ...options,
      details: { timeoutMs, ...options.details },
    });
    this.name = 'PoolTimeoutError';
  }
}

/** A bounded queue is full; the caller should back off and retry. */
export class OverloadedError extends StrataError {
  constructor(what: string, limit: number, options: StrataErrorOptions = {}) {
    super(ErrorCodes.OVERLOADED, `${what} is overloaded: ${limit} items pending`, {
      ...options,
      details: { what, limit, ...options.details },
    });
    this.name = 'OverloadedError';
  }
}

/** The store (or another closable resource) was used after `close()`. */
export class StoreClosedError extends StrataError {
  constructor(what = 'event store', options: StrataErrorOptions = {}) {
    super(ErrorCodes.STORE_CLOSED, `The ${what} is closed`, options);
    this.name = 'StoreClosedError';
  }
}

/**
 * A command was refused before anything was appended: by a middleware (authorization, validation,
 * tenancy) or by a decider that throws it. `details.reason` is a stable, machine-readable reason
 * when the rejecting code gives one.
 */
export class CommandRejectedError extends StrataError {
  constructor(message: string, options: StrataErrorOptions & { reason?: string } = {}) {
    super(ErrorCodes.COMMAND_REJECTED, message, {
      ...options,
      details: options.reason === undefined ? options.details : { reason: options.reason, ...options.details },
    });
    this.name = 'CommandRejectedError';
  }
}

/**
 * A projection sink accepted a batch for a generation being built and its commit failed later
 * (see {@link ProjectionSink.transact}): the generation misses writes and must be discarded. Not
 * retryable: a projection runner stops the rebuild that gets it.
 */
export class SinkWritesLostError extends StrataError {
  constructor(projection: string, generation: number, options: StrataErrorOptions = {}) {
    super(
      ErrorCodes.SINK_WRITES_LOST,
      `Generation ${generation} of projection '${projection}' lost writes: a commit of a batch it had accepted failed, so the generation must be discarded`,
      { ...options, details: { projection, generation, ...options.details } },
    );
    this.name = 'SinkWritesLostError';
  }
}
