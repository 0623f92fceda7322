import { describePostgresContract } from './support/describe-postgres-contract.js';

describePostgresContract('PostgreSQL, strict ordering', { ordering: 'strict' }, { propertyRuns: 12, propertyTimeoutMs: 300_000 });
