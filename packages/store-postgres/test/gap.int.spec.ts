import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@strata/core';
import { createPgPool, type PgPool } from '@strata/pool';
import { createSerializer } from '@strata/serialization';
import { startPostgres, type PostgresServer } from '@strata/testing';
import { appendBatchParameters, appendBatchStatement } from '../src/append/append-batch.js';
import { prepareEvents } from '../src/append/prepare-events.js';
import { SerializerCodec } from '../src/codec/serializer-codec.js';
import { createPostgresEventStore, type PostgresEventStore } from '../src/index.js';

// The gap test: writers commit out of order around transactions held open on purpose and
// transactions that roll back, while a subscription runs from the start. A naive reader (`position > last ORDER BY position`) runs
// beside it as a control: it must skip the late commits, which shows the danger was real.

let server: PostgresServer;
let raw: PgPool;
const codec = new SerializerCodec(createSerializer({ format: 'msgpack' }));

beforeAll(async () => {
  server = await startPostgres({ fast: true });
  raw = createPgPool({ connectionString: server.connectionString, min: 0, max: 12, name: 'raw', healthCheck: false });
});

afterAll(async () => {
  await raw?.drain();
  await server?.stop();
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

async function until(check: () => boolean): Promise<void> {
  while (!check()) await tick();
}

type Held = { outcome: 'commit' | 'rollback' };

/** Runs one append inside a transaction that stays open until `release` allows it to end. */
async function heldAppend(schema: string, index: number, held: Held, release: (position: number) => Promise<void>) {
  const prepared = prepareEvents(codec, [{ type: 'Held', data: { index }, id: `held-${index}` }], 1_000_000);
  return raw.withClient(async (client) => {
    await client.query('BEGIN');
    const { rows } = await client.query<{ o_position: string }>(
      appendBatchStatement(schema, codec),
      appendBatchParameters([{ stream: `held-${index}`, expected: 'any', events: prepared }], codec),
    );
    const position = Number(rows[0]!.o_position);
    await release(position);
    await client.query(held.outcome === 'commit' ? 'COMMIT' : 'ROLLBACK');
    return { id: `held-${index}`, position, committed: held.outcome === 'commit' };
  });
}

function subscribeRecording(store: PostgresEventStore) {
  const delivered: RecordedEvent[] = [];
  const regressions: string[] = [];
  let last = -1;
  const subscription = store.subscribe({
    from: 'start',
    batchSize: 16,
    handler: (event) => {
      if (event.position <= last) regressions.push(`${event.position} after ${last}`);
      last = event.position;
      delivered.push(event);
    },
  });
  return { subscription, delivered, regressions };
}

describe('global ordering under concurrency (concurrent ordering)', () => {
  it('delivers every committed event exactly once, in position order, despite late commits and rollbacks', async () => {
    const schema = 'gap_concurrent';
    const store = await createPostgresEventStore({ connectionString: server.connectionString, schema, poolOptions: { max: 10 } });
    const { subscription, delivered, regressions } = subscribeRecording(store);

    // The control: a reader that trusts position order alone.
    const naiveSeen = new Set<number>();
    let naiveCursor = -1;
    let stopNaive = false;
    const naive = (async () => {
      while (!stopNaive) {
        const { rows } = await raw.query<{ position: string }>(
          `SELECT position FROM "${schema}".events WHERE position > $1 ORDER BY position`,
          [naiveCursor],
        );
        for (const row of rows) {
          naiveSeen.add(Number(row.position));
          naiveCursor = Number(row.position);
        }
        await tick();
      }
    })();

    let stopWriters = false;
    const acknowledged: string[] = [];
    const writers = Array.from({ length: 12 }, async (_, w) => {
      for (let i = 0; !stopWriters; i++) {
        const events = Array.from({ length: 1 + (i % 3) }, (_, n) => ({ type: 'Written', data: { w, i, n }, id: `w${w}-${i}-${n}` }));
        await store.append(`w-${(w + i) % 5}`, events);
        acknowledged.push(...events.map((e) => e.id));
      }
    });

    // Each held transaction ends only once the control reader has moved past its position on
    // events that other writers committed in the meantime.
    const plan: Held[] = Array.from({ length: 8 }, (_, i) => ({ outcome: i % 3 === 1 ? 'rollback' : 'commit' }));
    const held = await Promise.all(
      plan.map((h, index) =>
        heldAppend(schema, index, h, async (position) => {
          const start = naiveCursor;
          await until(() => naiveCursor > Math.max(position, start) && acknowledged.length > 20);
        }),
      ),
    );
    for (let extra = acknowledged.length + 30; acknowledged.length < extra; ) await tick();
    stopWriters = true;
    await Promise.all(writers);

    await subscription.waitFor(await store.headPosition());
    await subscription.stop();
    stopNaive = true;
    await naive;

    const all = await collectAll(store);
    expect(regressions, 'delivered positions never go back').toEqual([]);
    expect(delivered.map((e) => e.id), 'the subscription delivers the log, in its order').toEqual(all.map((e) => e.id));
    expect(new Set(delivered.map((e) => e.id)).size, 'each event once').toBe(delivered.length);
    const committed = [...acknowledged, ...held.filter((h) => h.committed).map((h) => h.id)].sort();
    expect(delivered.map((e) => e.id).sort(), 'every committed event, nothing rolled back').toEqual(committed);
    const late = held.filter((h) => h.committed);
    expect(late.every((h) => !naiveSeen.has(h.position)), 'the control reader skipped every late commit').toBe(true);
    expect(late.every((h) => delivered.some((e) => e.position === h.position)), 'the subscription delivered them').toBe(true);
    await store.close();
  });
});

describe('global ordering under concurrency (strict ordering)', () => {
  it('delivers every committed event exactly once with gapless positions, despite rollbacks', async () => {
    const schema = 'gap_strict';
    const store = await createPostgresEventStore({ connectionString: server.connectionString, schema, ordering: 'strict' });
    const { subscription, delivered, regressions } = subscribeRecording(store);
    const acknowledged: string[] = [];
    const writers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; i < 25; i++) {
        const events = Array.from({ length: 1 + (i % 3) }, (_, n) => ({ type: 'Written', data: { w, i, n }, id: `w${w}-${i}-${n}` }));
        await store.append(`w-${(w + i) % 5}`, events);
        acknowledged.push(...events.map((e) => e.id));
      }
    });
    const rollbacks = Array.from({ length: 5 }, (_, index) =>
      heldAppend(schema, index, { outcome: 'rollback' }, async () => {
        await tick();
      }),
    );
    await Promise.all([...writers, ...rollbacks]);
    await subscription.waitFor(await store.headPosition());
    await subscription.stop();

    expect(regressions).toEqual([]);
    expect(delivered.map((e) => e.id).sort()).toEqual([...acknowledged].sort());
    expect(delivered.map((e) => e.position), 'strict positions are gapless').toEqual(delivered.map((_, i) => i));
    await store.close();
  });
});

async function collectAll(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}
