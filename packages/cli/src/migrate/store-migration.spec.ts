import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, isStrataError } from '@strata/core';
import { createStoreMigration, type StoreMigrationOptions } from './store-migration.js';

function argumentOf(options: unknown): unknown {
  try {
    createStoreMigration(options as StoreMigrationOptions);
  } catch (error) {
    expect(isStrataError(error, 'INVALID_ARGUMENT')).toBe(true);
    return (error as { details: { argument: unknown } }).details.argument;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('createStoreMigration', () => {
  it('names the bad option', () => {
    expect(argumentOf(null)).toBe('options');
    expect(argumentOf({ source: {}, target: {} })).toBe('source');
    // An event store that is not a PostgreSQL store cannot be the target: recorded times and progress go through its pool.
    expect(argumentOf({ source: createInMemoryEventStore(), target: createInMemoryEventStore() })).toBe('target');
  });
});
