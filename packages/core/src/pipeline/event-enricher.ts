import type { EventData, EventMetadata } from '../events/event-data.js';
import type { CommandContext } from './command-context.js';

/**
 * Adds metadata to the events a command produced, before they are appended. Return one metadata
 * object for every event, an array with one entry (or `undefined`) per event, or nothing. Async
 * enrichers of one pipeline run concurrently; their results are merged in declaration order, so a
 * later enricher wins on a clash. A throw or rejection fails the command and nothing is appended.
 */
export type EventEnricher = (
  ctx: CommandContext,
  events: readonly EventData[],
) => Enrichment | Promise<Enrichment>;

/** What an {@link EventEnricher} returns. */
export type Enrichment = EventMetadata | readonly (EventMetadata | undefined)[] | undefined | void;
