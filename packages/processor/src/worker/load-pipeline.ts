import { InvalidArgumentError, isCommandPipeline, type CommandPipeline } from '@strata/core';

/**
 * Imports the command pipeline a module exports: its `pipeline` export, its default export, or the
 * `pipeline` of either when that is a plugin host.
 */
export async function importPipeline(url: string): Promise<CommandPipeline> {
  let exports: Record<string, unknown>;
  try {
    exports = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidArgumentError('pipeline', `cannot import ${url}`, { cause: error });
  }
  for (const candidate of [exports.pipeline, exports.default]) {
    if (isCommandPipeline(candidate)) return candidate;
    const nested = (candidate as { pipeline?: unknown } | undefined)?.pipeline;
    if (isCommandPipeline(nested)) return nested;
  }
  throw new InvalidArgumentError('pipeline', `${url} exports no pipeline made by createCommandPipeline() (as 'pipeline' or default)`);
}
