import { describePostgresContract } from './support/describe-postgres-contract.js';

// Each property run migrates a fresh schema on a real server: 24 runs keep the model check broad
// while leaving a 2-core CI machine ample time.
describePostgresContract('PostgreSQL, concurrent ordering, msgpack', {}, { propertyRuns: 24, propertyTimeoutMs: 300_000 });
