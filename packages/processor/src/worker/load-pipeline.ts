import { InvalidArgumentError, isCommandPipeline, type CommandPipeline, type PluginContext } from '@strata/core';

/** A pipeline a worker loaded, with the lifecycle of the plugins it came from (if any). */
export type LoadedPipeline = {
  readonly pipeline: CommandPipeline;
  /** Starts the module's plugins (a plugin host's `start`); nothing for a bare pipeline. */
  start(context: PluginContext): Promise<void>;
  /** Stops them again, also after a failed start; nothing for a bare pipeline. */
  close(): Promise<void>;
};

type HostLike = { pipeline: unknown; start(context: PluginContext): Promise<void>; close(): Promise<void> };

/**
 * Imports the command pipeline a module exports: its `pipeline` export or its default export,
 * either a pipeline made by `createCommandPipeline()` or a plugin host made by
 * `createPluginHost()`, whose plugins the worker then starts and stops around its life.
 */
export async function importPipeline(url: string): Promise<LoadedPipeline> {
  let exports: Record<string, unknown>;
  try {
    exports = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidArgumentError('pipeline', `cannot import ${url}`, { cause: error });
  }
  for (const candidate of [exports.pipeline, exports.default]) {
    if (isCommandPipeline(candidate)) return { pipeline: candidate, start: () => Promise.resolve(), close: () => Promise.resolve() };
    if (isHost(candidate)) {
      const host = candidate;
      return { pipeline: host.pipeline as CommandPipeline, start: (context) => host.start(context), close: () => host.close() };
    }
  }
  throw new InvalidArgumentError('pipeline', `${url} exports no pipeline made by createCommandPipeline() or plugin host made by createPluginHost() (as 'pipeline' or default)`);
}

function isHost(value: unknown): value is HostLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return isCommandPipeline(candidate.pipeline) && typeof candidate.start === 'function' && typeof candidate.close === 'function';
}
