export { describeEventStoreContract } from './contract/describe-event-store-contract.js';
export type { EventStoreContractOptions, EventStoreFactory, StoreFactoryContext } from './contract/contract-options.js';

export { deciderSpec, type DeciderSpec, type DeciderSpecWhen, type DeciderSpecOptions } from './decider/decider-spec.js';
export type { ErrorMatcher, ErrorClass } from './decider/error-matcher.js';

export { startPostgres } from './postgres/start-postgres.js';
export type { PostgresServer, PostgresConnectionInfo, StopMode, KillMode } from './postgres/postgres-server.js';
export type { StartPostgresOptions } from './postgres/postgres-options.js';
export { findPostgresBinaries, type PostgresBinaries } from './postgres/find-postgres-binaries.js';
export {
  postgresGlobalSetup,
  type PostgresGlobalSetupOptions,
  type GlobalSetupProject,
} from './postgres/postgres-global-setup.js';

export { eventually } from './helpers/eventually.js';
export { failureOf, codeOf } from './helpers/failures.js';
export { tempDir, type TempDir } from './helpers/temp-dir.js';
export { collect } from './helpers/collect.js';
export { seededRandom } from './helpers/seeded-random.js';
