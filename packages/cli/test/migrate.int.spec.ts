import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { createLmdbEventStore } from '@strata/store-lmdb';
import { createPostgresEventStore, type PostgresEventStore } from '@strata/store-postgres';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { readEverything, writeBulkStore, writeSampleStore } from './support/fixtures.js';
import { runStrata, startStrata } from './support/run-strata.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-migrate-'));
const samplePath = join(dir, 'sample');
const bulkPath = join(dir, 'bulk');
const BULK = { streams: 200, appends: 1_000, perAppend: 10 };
let server: PostgresServer;

beforeAll(async () => {
  await writeSampleStore(samplePath);
  await writeBulkStore(bulkPath, BULK);
  // Durable settings: a migration is about not losing what was acknowledged.
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function withTarget<T>(schema: string, use: (store: PostgresEventStore) => Promise<T>): Promise<T> {
  const store = await createPostgresEventStore({ connectionString: server.connectionString, schema });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

async function sourceEvents(path: string): Promise<RecordedEvent[]> {
  const store = await createLmdbEventStore({ path });
  try {
    return await readEverything(store);
  } finally {
    await store.close();
  }
}

/** An event without its position, byte arrays as plain Uint8Arrays (a store may decode them as Buffers). */
function comparable(event: RecordedEvent): unknown {
  const { position: _position, ...rest } = event;
  return normalise(rest);
}

function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (value instanceof Date || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(normalise);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalise(item)]));
}

describe('strata migrate', () => {
  it('copies ids, versions, types, data, metadata, recorded times, stream metadata and the global order, and verifies', async () => {
    const run = await runStrata(['migrate', '--from', samplePath, '--to', server.connectionString, '--schema', 'sample', '--batch', '4', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { copy: { copied: number; softDeletedStreams: number; streamsWithMetadata: number }; verify: { ok: boolean; sourceEvents: number } };
    expect(report.verify).toMatchObject({ ok: true, sourceEvents: 33 });
    expect(report.copy).toMatchObject({ copied: 33, softDeletedStreams: 1, streamsWithMetadata: 1 });

    const source = await sourceEvents(samplePath);
    await withTarget('sample', async (target) => {
      const copied = await readEverything(target);
      // Same events in the same global order; positions are the target's own, strictly increasing.
      expect(copied.map(comparable)).toEqual(source.map(comparable));
      for (let i = 1; i < copied.length; i++) expect(copied[i]!.position).toBeGreaterThan(copied[i - 1]!.position);
      expect((await target.streamInfo('order-1'))?.metadata).toEqual({ owner: 'ann', tags: ['vip'] });
      // The soft-deleted stream keeps its versions and behaves as in the source: 'no_stream' continues it.
      expect(await target.streamInfo('cart-9')).toMatchObject({ version: 2, deleted: false });
      const cart: number[] = [];
      for await (const event of target.readStream('cart-9')) cart.push(event.version);
      expect(cart).toEqual([2]);
    });

    const again = await runStrata(['migrate', '--from', samplePath, '--to', server.connectionString, '--schema', 'sample', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ copy: { resumed: true, read: 0, copied: 0 }, verify: { ok: true } });
  });

  it('refuses a target that holds other events, and writes nothing to it', async () => {
    await withTarget('occupied', (store) => store.append('other-1', [{ type: 'Foreign', data: {} }]));
    const run = await runStrata(['migrate', '--from', samplePath, '--to', server.connectionString, '--schema', 'occupied']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^TARGET_NOT_EMPTY: /m);
    await withTarget('occupied', async (store) => {
      expect(await readEverything(store)).toHaveLength(1);
      expect(await store.streamInfo('order-1')).toBeUndefined();
    });
  });

  it('exits 1 and names the stream when the target differs from the source', async () => {
    const schema = 'tampered';
    expect((await runStrata(['migrate', '--from', samplePath, '--to', server.connectionString, '--schema', schema])).code).toBe(0);
    await withTarget(schema, (store) => store.append('account-3', [{ type: 'Deposited', data: { amount: 1_000_000 } }]));
    const run = await runStrata(['migrate', '--from', samplePath, '--to', server.connectionString, '--schema', schema]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^MIGRATION_MISMATCH: .*'account-3'/m);
    expect(run.stdout).toMatch(/account-3\s+events\s+5\s+6/);
  });

  it('resumes after kill -9 in the middle: nothing lost, nothing applied twice, verified', async () => {
    const schema = 'killed';
    const total = BULK.appends * BULK.perAppend;
    await withTarget(schema, async (target) => {
      const { child, finished } = startStrata(['migrate', '--from', bulkPath, '--to', server.connectionString, '--schema', schema, '--batch', '20']);
      let checkpoint: number | undefined;
      for (;;) {
        const rows = await target.pool.query<{ position: string }>(`SELECT position FROM "${schema}".checkpoints WHERE name LIKE '$strata.migrate:%'`);
        checkpoint = rows.rows[0] === undefined ? undefined : Number(rows.rows[0].position);
        if ((checkpoint !== undefined && checkpoint >= 1_500) || child.exitCode !== null) break;
        await sleep(5);
      }
      child.kill('SIGKILL');
      const killed = await finished;
      expect(killed.code, 'the copy was still running when it was killed').toBeNull();
      const partial = (await readEverything(target)).length;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(total);

      // Resume with other batch boundaries: re-sent events are recognised, not appended again.
      const resumed = await runStrata(['migrate', '--from', bulkPath, '--to', server.connectionString, '--schema', schema, '--batch', '64', '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const report = JSON.parse(resumed.stdout) as { copy: { resumed: boolean; from: number }; verify: { ok: boolean; targetEvents: number } };
      expect(report.copy.resumed).toBe(true);
      expect(report.copy.from).toBeGreaterThan(0);
      expect(report.verify).toMatchObject({ ok: true, targetEvents: total });

      // A checkpoint set back (the state after a crash between a commit and its checkpoint) re-sends batches: a no-op.
      const [name] = (await target.pool.query<{ name: string }>(`SELECT name FROM "${schema}".checkpoints`)).rows.map((r) => r.name);
      await target.checkpoints.save(name!, 4_999);
      const resent = await runStrata(['migrate', '--from', bulkPath, '--to', server.connectionString, '--schema', schema, '--batch', '50', '--json']);
      expect(resent.code, resent.stderr).toBe(0);
      expect(JSON.parse(resent.stdout)).toMatchObject({ copy: { from: 5_000, read: total - 5_000 }, verify: { ok: true, targetEvents: total } });

      const copied = await readEverything(target);
      expect(copied).toHaveLength(total);
      expect(new Set(copied.map((e) => e.id)).size).toBe(total);
      const source = await sourceEvents(bulkPath);
      expect(copied.map((e) => e.id)).toEqual(source.map((e) => e.id));
    });
  });
});
