import { createPluginHost, definePlugin, type CommandMiddleware, type EventEnricher } from '@strata/core';

/**
 * The bank's command pipeline, as plugins. The processor's workers import this module by URL (like
 * the aggregates), start the plugins in order and stop them when the processor closes. With any
 * pipeline the command context stamps `correlationId` (the HTTP request's `X-Correlation-Id`) and
 * `causationId` (the command id) on every event, so one request can be followed from the API
 * through its events into the history view.
 */

/** Commands from the API carry the node that took the request; anything else acts as the system. */
const actor: CommandMiddleware = (ctx, next) => {
  if (typeof ctx.metadata.actor !== 'string') ctx.metadata.actor = typeof ctx.metadata.node === 'string' ? `api@${ctx.metadata.node}` : 'system';
  return next();
};

/** What was asked for, beside what happened: the command's type, for the audit trail. */
const commandType: EventEnricher = (ctx) => {
  const type = (ctx.command as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? { command: type } : undefined;
};

/** Who acted and why, on every event. */
export const auditPlugin = definePlugin({ name: 'bank-audit', middleware: [actor], enrichers: [commandType] });

/** The plugin host the processor loads (its `pipeline`, started and stopped in every worker). */
export const pipeline = createPluginHost({ plugins: [auditPlugin] });
