import { describePostgresContract } from './support/describe-postgres-contract.js';

// Also the path without group commit: every append a transaction of its own.
describePostgresContract('PostgreSQL, jsonb payloads, no group commit', { format: 'jsonb', groupCommit: false }, { propertyRuns: 12, propertyTimeoutMs: 300_000 });
