import { InvalidArgumentError, StoreClosedError } from '../errors/errors.js';
import { StrataError } from '../errors/strata-error.js';
import { ErrorCodes } from '../errors/error-codes.js';
import { createCommandPipeline, type CommandPipeline } from './command-pipeline.js';
import type { CommandMiddleware } from './command-middleware.js';
import type { EventEnricher } from './event-enricher.js';
import { isPlugin, type Plugin, type PluginContext } from './plugin.js';

/** Options of {@link createPluginHost}. */
export type PluginHostOptions = {
  /** Started in this order, stopped in reverse. */
  plugins: readonly Plugin[];
  /** The application's own middleware, run before (outside) every plugin's. */
  middleware?: readonly CommandMiddleware[];
  /** The application's own enrichers, merged before the plugins'. */
  enrichers?: readonly EventEnricher[];
  /** See `CommandPipelineOptions.correlation` (default true). */
  correlation?: boolean;
};

/** Runs plugins' lifecycles and combines their contributions. */
export interface PluginHost<TProjection = unknown> {
  /** The application's and every plugin's middleware and enrichers, in order, as one pipeline. */
  readonly pipeline: CommandPipeline;
  /** Every plugin's projections, in plugin order. */
  readonly projections: readonly TProjection[];
  /**
   * Starts the plugins in order. When one fails, the rest are not started and the error (naming
   * the plugin) propagates; call {@link close} to release what the started ones (and the failed
   * one) hold.
   */
  start(context?: PluginContext): Promise<void>;
  /**
   * Stops every plugin whose `start` was called, in reverse order, each even when an earlier stop
   * failed; rejects afterwards with the failures. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Creates the host the processor and applications use to run plugins: validates that names are
 * unique and compiles one command pipeline from everything contributed.
 */
export function createPluginHost<TProjection = unknown>(options: PluginHostOptions): PluginHost<TProjection> {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.plugins)) {
    throw new InvalidArgumentError('plugins', 'expected an array of plugins made by definePlugin()');
  }
  const seen = new Set<string>();
  options.plugins.forEach((plugin, index) => {
    if (!isPlugin(plugin)) throw new InvalidArgumentError(`plugins[${index}]`, 'expected a plugin made by definePlugin()');
    if (seen.has(plugin.name)) throw new InvalidArgumentError(`plugins[${index}]`, `duplicate plugin name '${plugin.name}'`);
    seen.add(plugin.name);
  });
  const plugins = [...options.plugins];
  const pipeline = createCommandPipeline({
    middleware: [...(options.middleware ?? []), ...plugins.flatMap((plugin) => plugin.middleware)],
    enrichers: [...(options.enrichers ?? []), ...plugins.flatMap((plugin) => plugin.enrichers)],
    correlation: options.correlation,
  });
  const projections = Object.freeze(plugins.flatMap((plugin) => plugin.projections as readonly TProjection[]));
  const touched: Plugin[] = [];
  let state: 'new' | 'starting' | 'started' | 'closed' = 'new';
  let closing: Promise<void> | undefined;

  return Object.freeze({
    pipeline,
    projections,
    async start(context: PluginContext = {}): Promise<void> {
      if (state === 'closed') throw new StoreClosedError('plugin host');
      if (state !== 'new') throw new InvalidArgumentError('start', 'the plugin host was already started');
      state = 'starting';
      for (const plugin of plugins) {
        touched.push(plugin);
        try {
          await plugin.start(context);
        } catch (error) {
          throw new StrataError(ErrorCodes.PLUGIN_FAILED, `Plugin '${plugin.name}' failed to start: ${describe(error)}`, {
            cause: error,
            details: { plugin: plugin.name },
          });
        }
      }
      state = 'started';
    },
    close(): Promise<void> {
      closing ??= (async () => {
        state = 'closed';
        const failures: unknown[] = [];
        for (const plugin of touched.reverse()) {
          try {
            await plugin.stop();
          } catch (error) {
            failures.push(new StrataError(ErrorCodes.PLUGIN_FAILED, `Plugin '${plugin.name}' failed to stop: ${describe(error)}`, {
              cause: error,
              details: { plugin: plugin.name },
            }));
          }
        }
        if (failures.length === 1) throw failures[0];
        if (failures.length > 1) throw new AggregateError(failures, `${failures.length} plugins failed to stop`);
      })();
      return closing;
    },
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
