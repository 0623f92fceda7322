import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '@strata/testing';
import { createLmdbEventStore } from '../src/index.js';

// The whole contract, property-based model comparison included, against a fresh store per case
// in the default durability mode (every append flushed to disk before it is acknowledged).
describeEventStoreContract('LMDB', async ({ id, onTeardown }) => {
  const path = await mkdtemp(join(tmpdir(), `${id}-`));
  onTeardown(() => rm(path, { recursive: true, force: true }));
  return createLmdbEventStore({ path });
});
