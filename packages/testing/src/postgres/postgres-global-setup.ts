import { InvalidArgumentError } from '@strata/core';
import type { StartPostgresOptions } from './postgres-options.js';
import { startPostgres } from './start-postgres.js';
import type { PostgresConnectionInfo } from './postgres-server.js';

/** Options of {@link postgresGlobalSetup}. */
export type PostgresGlobalSetupOptions = StartPostgresOptions & {
  /** Key under which the connection info is provided to tests (`inject(key)`). Default `strataPostgres`. */
  provideKey?: string;
  /** Environment variable set to the connection string for test workers. Default `STRATA_TEST_PG_URL`. */
  envVar?: string;
};

/** The part of vitest's `TestProject` the setup uses (typed loosely so any vitest 4 version fits). */
export type GlobalSetupProject = { provide(key: never, value: never): void };

/**
 * Makes a vitest `globalSetup` function that starts one PostgreSQL server for a whole test run and
 * stops (and removes) it afterwards. Test files reach it through `inject('strataPostgres')` (a
 * {@link PostgresConnectionInfo}) or the `STRATA_TEST_PG_URL` environment variable, and isolate
 * themselves with a schema or database each.
 *
 * @example
 * // vitest.global-setup.ts: import postgresGlobalSetup from the package, then
 * export default postgresGlobalSetup({ fast: true });
 */
export function postgresGlobalSetup(options: PostgresGlobalSetupOptions = {}): (project?: GlobalSetupProject) => Promise<() => Promise<void>> {
  const { provideKey = 'strataPostgres', envVar = 'STRATA_TEST_PG_URL', ...startOptions } = options;
  if (typeof provideKey !== 'string' || provideKey.length === 0) throw new InvalidArgumentError('options.provideKey', 'expected a non-empty string');
  if (typeof envVar !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(envVar)) {
    throw new InvalidArgumentError('options.envVar', 'expected an environment variable name');
  }
  return async (project) => {
    const server = await startPostgres(startOptions);
    const info: PostgresConnectionInfo = {
      connectionString: server.connectionString,
      host: server.host,
      port: server.port,
      database: server.database,
      user: server.user,
      socketDir: server.socketDir,
    };
    const previous = process.env[envVar];
    process.env[envVar] = server.connectionString;
    (project?.provide as ((key: string, value: unknown) => void) | undefined)?.call(project, provideKey, info);
    return async () => {
      if (previous === undefined) delete process.env[envVar];
      else process.env[envVar] = previous;
      await server.stop();
    };
  };
}
