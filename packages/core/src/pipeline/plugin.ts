import { InvalidArgumentError } from '../errors/errors.js';
import type { CommandMiddleware } from './command-middleware.js';
import type { EventEnricher } from './event-enricher.js';

/**
 * What the host hands to each plugin's `start`: whatever the application provides (its store,
 * its monitor's metrics registry …), by name. Plugins read what they need and ignore the rest.
 */
export type PluginContext = Readonly<Record<string, unknown>>;

/** A plugin as written by users: a name, its contributions and its lifecycle. */
export type PluginSpec<TProjection = unknown> = {
  /** Unique among the plugins of one host. */
  name: string;
  /** Joins the command pipeline, after the middleware of the plugins before it. */
  middleware?: readonly CommandMiddleware[];
  /** Joins the pipeline's enrichers. */
  enrichers?: readonly EventEnricher[];
  /** Projections the application should run (definitions of `@strata/projections`, say). */
  projections?: readonly TProjection[];
  /** Acquires the plugin's resources; called in plugin order. */
  start?(context: PluginContext): void | Promise<void>;
  /** Releases them; called in reverse order, also after a failed start of this or another plugin. */
  stop?(): void | Promise<void>;
};

/** A validated, frozen plugin. */
export type Plugin<TProjection = unknown> = Readonly<Required<Omit<PluginSpec<TProjection>, 'start' | 'stop'>>> & {
  readonly start: (context: PluginContext) => void | Promise<void>;
  readonly stop: () => void | Promise<void>;
};

const NAME = /^[A-Za-z@][A-Za-z0-9@/_.-]{0,99}$/;
const PLUGIN_BRAND = Symbol.for('@strata/core/Plugin');

/**
 * Bundles middleware, enrichers, projections and a lifecycle under one name. Validates every field
 * (`INVALID_ARGUMENT` naming it).
 *
 * @example
 * export const audit = definePlugin({
 *   name: 'audit',
 *   enrichers: [(ctx) => ({ user: ctx.metadata.user })],
 *   async start({ store }) { … },
 *   async stop() { … },
 * });
 */
export function definePlugin<TProjection = unknown>(spec: PluginSpec<TProjection>): Plugin<TProjection> {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError('plugin', 'expected an object');
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) {
    throw new InvalidArgumentError('plugin.name', 'expected 1-100 letters, digits or "@/_.-", starting with a letter or "@"');
  }
  const where = `plugin '${spec.name}'`;
  const list = <T>(field: string, value: readonly T[] | undefined, kind: 'function' | 'any'): readonly T[] => {
    if (value === undefined) return Object.freeze([]);
    if (!Array.isArray(value)) throw new InvalidArgumentError(`${where}.${field}`, 'expected an array');
    if (kind === 'function') {
      value.forEach((item, index) => {
        if (typeof item !== 'function') throw new InvalidArgumentError(`${where}.${field}[${index}]`, 'expected a function');
      });
    }
    return Object.freeze([...value]);
  };
  for (const hook of ['start', 'stop'] as const) {
    if (spec[hook] !== undefined && typeof spec[hook] !== 'function') {
      throw new InvalidArgumentError(`${where}.${hook}`, 'expected a function');
    }
  }
  const start = spec.start?.bind(spec) ?? (() => undefined);
  const stop = spec.stop?.bind(spec) ?? (() => undefined);
  const plugin: Plugin<TProjection> = {
    name: spec.name,
    middleware: list('middleware', spec.middleware, 'function'),
    enrichers: list('enrichers', spec.enrichers, 'function'),
    projections: list('projections', spec.projections, 'any'),
    start,
    stop,
  };
  Object.defineProperty(plugin, PLUGIN_BRAND, { value: true });
  return Object.freeze(plugin);
}

/** True for values made by {@link definePlugin} (also across duplicate installs). */
export function isPlugin(value: unknown): value is Plugin {
  return typeof value === 'object' && value !== null && (value as Record<PropertyKey, unknown>)[PLUGIN_BRAND] === true;
}
