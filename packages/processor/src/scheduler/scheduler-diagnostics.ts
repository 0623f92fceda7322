import { diagnosticsChannel, ChannelNames, type CommandMessage, type ProcessorMessage, type StrataError } from '@strata/core';
import type { PendingCommand } from './stream-entry.js';

const processorChannel = diagnosticsChannel(ChannelNames.processor);
const commandChannel = diagnosticsChannel(ChannelNames.command);

/** Publishes on `strata:processor` when someone listens (one branch otherwise). */
export function publishProcessor(message: ProcessorMessage): void {
  if (processorChannel.hasSubscribers) processorChannel.publish(message);
}

/** Publishes an answered command on `strata:command` when someone listened at its submission. */
export function publishCommand(pending: PendingCommand, events: number, retries: number, error: StrataError | undefined): void {
  if (!commandChannel.hasSubscribers || pending.started === 0) return;
  const message: CommandMessage = {
    aggregate: pending.aggregate,
    streamId: pending.streamId,
    durationMs: performance.now() - pending.started,
    events,
    retries,
    ok: error === undefined,
  };
  if (error !== undefined) message.code = error.code;
  commandChannel.publish(message);
}
