import { createCommandPipeline, type CommandMiddleware, type EventEnricher } from '@strata/core';

/**
 * The pipeline of the pipeline suite: three trivial middlewares and two trivial enrichers (one
 * synchronous, one async). Its own module, because the processor's worker threads load it by URL
 * (the compiled `.js` next to this file).
 */

const passThrough: CommandMiddleware = (_ctx, next) => next();
const withUser: CommandMiddleware = (ctx, next) => {
  ctx.metadata.user = 'bench';
  return next();
};
const timed: CommandMiddleware = async (ctx, next) => {
  const started = performance.now();
  const outcome = await next();
  ctx.items.elapsedMs = performance.now() - started;
  return outcome;
};
const tenant: EventEnricher = () => ({ tenant: 't1' });
const schema: EventEnricher = async () => ({ schema: 1 });

export const pipeline = createCommandPipeline({ middleware: [passThrough, withUser, timed], enrichers: [tenant, schema] });
