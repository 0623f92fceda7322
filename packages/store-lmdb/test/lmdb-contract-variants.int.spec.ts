import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '@strata/testing';
import { createLmdbEventStore, type LmdbEventStoreOptions } from '../src/index.js';

// The contract again for the other configurations whose code paths differ: the JSON format,
// MessagePack records with checksums (their coordinates are set by the serializer, which re-seals
// them), and stream index tails of 1 and 3 extents, so that appends keep moving the tail to the
// extents database and reads keep combining both. Durability 'none' keeps these runs short; the
// default mode is covered by the main suite.
const variants: [string, Omit<LmdbEventStoreOptions, 'path'>][] = [
  ['JSON', { durability: 'none', serializer: { format: 'json' } }],
  ['MessagePack with checksums', { durability: 'none', serializer: { format: 'msgpack', checksum: true } }],
  ['index tail of 1', { durability: 'none', maxIndexTail: 1 }],
  ['index tail of 3', { durability: 'none', maxIndexTail: 3 }],
];

for (const [name, options] of variants) {
  describeEventStoreContract(
    `LMDB (${name})`,
    async ({ id, onTeardown }) => {
      const path = await mkdtemp(join(tmpdir(), `${id}-`));
      onTeardown(() => rm(path, { recursive: true, force: true }));
      return createLmdbEventStore({ path, ...options });
    },
    { propertyRuns: 20 },
  );
}
