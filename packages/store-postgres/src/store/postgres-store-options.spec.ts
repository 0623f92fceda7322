import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { createSerializer } from '@strata/serialization';
import { resolveStoreOptions, type PostgresEventStoreOptions } from './postgres-store-options.js';

const url = 'postgresql://localhost/db';

function argumentOf(options: unknown): unknown {
  try {
    resolveStoreOptions(options as PostgresEventStoreOptions);
  } catch (error) {
    if (isStrataError(error, 'INVALID_ARGUMENT')) return error.details['argument'];
    throw error;
  }
  return undefined;
}

describe('resolveStoreOptions', () => {
  it('applies defaults and leaves ordering and format to the schema', () => {
    expect(resolveStoreOptions({ connectionString: url })).toMatchObject({
      schema: 'strata',
      ordering: undefined,
      format: undefined,
      groupCommit: true,
      notify: true,
      notifyIntervalMs: 10,
      pollIntervalMs: 1_000,
      limits: { maxBatchSize: 10_000, maxEventBytes: 4 * 1024 * 1024 },
    });
  });

  it.each([
    [null, 'options'],
    [{}, 'connectionString'],
    [{ connectionString: url, pool: {} }, 'connectionString'],
    [{ connectionString: '' }, 'connectionString'],
    [{ pool: { query: 'no' } }, 'pool'],
    [{ connectionString: url, schema: 'Bad-Name' }, 'schema'],
    [{ connectionString: url, schema: 'x'.repeat(64) }, 'schema'],
    [{ connectionString: url, schema: "a'; DROP SCHEMA public; --" }, 'schema'],
    [{ connectionString: url, ordering: 'fast' }, 'ordering'],
    [{ connectionString: url, format: 'xml' }, 'format'],
    [{ connectionString: url, serializer: {} }, 'serializer'],
    [{ connectionString: url, format: 'msgpack', serializer: createSerializer({ format: 'json' }) }, 'serializer'],
    [{ connectionString: url, limits: { maxBatchSize: 16_385 } }, 'limits.maxBatchSize'],
    [{ connectionString: url, limits: { maxEventBytes: 0 } }, 'limits.maxEventBytes'],
    [{ connectionString: url, groupCommit: 'yes' }, 'groupCommit'],
    [{ connectionString: url, notify: 1 }, 'notify'],
    [{ connectionString: url, notifyIntervalMs: -1 }, 'notifyIntervalMs'],
    [{ connectionString: url, pollIntervalMs: 0 }, 'pollIntervalMs'],
    [{ connectionString: url, poolOptions: 'small' }, 'poolOptions'],
  ])('refuses %j naming %s', (options, argument) => {
    expect(argumentOf(options)).toBe(argument);
  });
});
