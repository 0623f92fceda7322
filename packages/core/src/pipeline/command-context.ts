import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../errors/errors.js';
import type { EventMetadata } from '../events/event-data.js';
import { isPlainObject } from '../validation/validate-append.js';
import { mergeMetadata } from '../events/merge-metadata.js';

/**
 * What middleware and enrichers see of one command on its way through the pipeline. Middleware
 * may replace `command`, add to `metadata` and `items`, and set the correlation ids before calling
 * `next`; the fields are read when the command's events are built.
 */
export type CommandContext<TCommand = unknown> = {
  /** The aggregate's name. */
  readonly aggregate: string;
  /** The stream the command addresses. */
  readonly streamId: string;
  /** The command; middleware may replace it (e.g. with a normalised copy). */
  command: TCommand;
  /** This command's id: the causation id of every event it produces. */
  readonly commandId: string;
  /** The conversation the command belongs to (an HTTP request id, or the correlation id of the event that caused it). */
  correlationId: string;
  /** What caused this command (the id of a request or of an event a process manager reacted to), if known. */
  causationId: string | undefined;
  /** Merged into every produced event's metadata (the acting user, the tenant …). */
  metadata: EventMetadata;
  /** Values middleware pass to later middleware and enrichers; never stored, never sent to a worker. */
  readonly items: Record<string, unknown>;
};

/**
 * The serialisable part of a context, given by the caller (and sent to worker threads): ids
 * default to a fresh UUID (`commandId`) and the command id (`correlationId`).
 */
export type CommandContextInit = {
  commandId?: string;
  correlationId?: string;
  causationId?: string;
  metadata?: EventMetadata;
};

const ID = /^[\x21-\x7e]{1,200}$/;

/** Builds a {@link CommandContext}, validating the caller's ids and metadata (`INVALID_ARGUMENT`). */
export function createCommandContext<TCommand>(
  aggregate: string,
  streamId: string,
  command: TCommand,
  init: CommandContextInit = {},
): CommandContext<TCommand> {
  if (typeof init !== 'object' || init === null) throw new InvalidArgumentError('context', 'expected an object');
  const commandId = init.commandId ?? randomUUID();
  checkId('context.commandId', commandId);
  const correlationId = init.correlationId ?? commandId;
  checkId('context.correlationId', correlationId);
  if (init.causationId !== undefined) checkId('context.causationId', init.causationId);
  if (init.metadata !== undefined && !isPlainObject(init.metadata)) {
    throw new InvalidArgumentError('context.metadata', 'expected a plain object');
  }
  // A fresh literal filled by assignment, not a spread copy: middleware add to it.
  const metadata: EventMetadata = {};
  if (init.metadata !== undefined) mergeMetadata(metadata, init.metadata);
  return { aggregate, streamId, command, commandId, correlationId, causationId: init.causationId, metadata, items: {} };
}

function checkId(name: string, value: unknown): void {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new InvalidArgumentError(name, 'expected 1-200 printable ASCII characters without spaces');
  }
}
