import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProjectionRunnerOptions } from '@strata/projections';
import { CliError, CliErrorCodes } from '../errors/cli-errors.js';

/**
 * What a `--config` module's default export provides (as an object, or from a function, sync or
 * async): the options of `createProjectionRunner` plus how to release what it opened.
 *
 * @example
 * // projections.config.js
 * export default async function config() {
 *   const store = await createLmdbEventStore({ path: process.env.STORE_PATH });
 *   const readModels = await createReadModelStore({ path: process.env.READ_MODEL_PATH });
 *   return {
 *     store,
 *     checkpoints: store.checkpoints,
 *     projections: [balances(readModels)],
 *     close: async () => { await readModels.close(); await store.close(); },
 *   };
 * }
 */
export type ProjectionsConfig = ProjectionRunnerOptions & {
  /** Called when the command is done (close the stores and sinks the config opened). */
  close?(): void | Promise<void>;
};

/** A `--config` module's default export. */
export type ProjectionsConfigExport = ProjectionsConfig | (() => ProjectionsConfig | Promise<ProjectionsConfig>);

/**
 * Imports a `--config` module (a path relative to the working directory, or a `file:` URL or
 * package specifier) and returns its configuration. Fails with `INVALID_CONFIG` when the module
 * cannot be imported or its default export is not a configuration.
 */
export async function loadProjectionsConfig(specifier: string, cwd: string): Promise<ProjectionsConfig> {
  const url = /^[a-z][a-z0-9+.-]*:/i.test(specifier) && !isAbsolute(specifier) ? specifier : pathToFileURL(resolve(cwd, specifier)).href;
  let loaded: { default?: unknown };
  try {
    loaded = (await import(url)) as { default?: unknown };
  } catch (error) {
    throw new CliError(CliErrorCodes.INVALID_CONFIG, `cannot import the config module ${specifier}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      details: { config: specifier },
    });
  }
  const exported = loaded.default;
  const config = typeof exported === 'function' ? await (exported as () => unknown)() : exported;
  if (typeof config !== 'object' || config === null || !Array.isArray((config as ProjectionsConfig).projections)) {
    throw new CliError(
      CliErrorCodes.INVALID_CONFIG,
      `${specifier} must export default the projection runner's options ({ store, checkpoints, projections, … }) or a function returning them`,
      { details: { config: specifier } },
    );
  }
  return config as ProjectionsConfig;
}
