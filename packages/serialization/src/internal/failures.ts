import {
  ChannelNames,
  SerializationError,
  diagnosticsChannel,
  isStrataError,
  type SerializationMessage,
  type StrataError,
} from '@strata/core';

const channel = diagnosticsChannel(ChannelNames.serialization);

/**
 * Maps anything thrown while encoding or decoding to a Strata error. This is the one boundary where
 * errors of msgpackr, protobufjs, JSON and the runtime (a RangeError from a malformed length, a
 * TypeError from malformed UTF-8) become `SERIALIZATION_FAILED`; Strata errors pass unchanged.
 * Publishes the failure on the serialization diagnostics channel when someone listens.
 */
export function serializationFailure(
  err: unknown,
  format: string,
  operation: SerializationMessage['operation'],
): StrataError {
  const mapped = isStrataError(err)
    ? err
    : new SerializationError(`Could not ${operation} (${format}): ${describe(err)}`, {
        cause: err,
        details: { format, operation },
      });
  if (channel.hasSubscribers) {
    const message: SerializationMessage = { format, operation, failed: true, code: mapped.code };
    channel.publish(message);
  }
  return mapped;
}

/** A `SERIALIZATION_FAILED` error for bytes that are not a valid envelope. */
export function corrupt(what: string, details: Record<string, unknown> = {}): SerializationError {
  return new SerializationError(`Corrupt or truncated bytes: ${what}`, { details: { reason: 'corrupt', ...details } });
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
