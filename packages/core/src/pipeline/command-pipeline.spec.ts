import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { defineAggregate } from '../aggregate/define-aggregate.js';
import { handleCommand } from '../aggregate/handle-command.js';
import { CommandRejectedError } from '../errors/errors.js';
import { isStrataError } from '../errors/strata-error.js';
import type { RecordedEvent } from '../events/event-data.js';
import type { EventStore } from '../store/event-store.js';
import { createCommandPipeline } from './command-pipeline.js';
import type { CommandMiddleware } from './command-middleware.js';
import type { EventEnricher } from './event-enricher.js';

type Command = { amount: number };
const account = defineAggregate<{ balance: number }, Command, { type: 'Deposited'; data: { amount: number } }>({
  name: 'account',
  initialState: { balance: 0 },
  evolve: (state, event) => ({ balance: state.balance + event.data.amount }),
  decide: (command) => [
    { type: 'Deposited', data: { amount: command.amount } },
    { type: 'Deposited', data: { amount: 0 }, metadata: { note: 'fee' } },
  ],
});

async function events(store: EventStore, stream = 'account-1'): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) out.push(event);
  return out;
}

async function failure(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('command middleware', () => {
  it('runs in order, outermost first, around the append', async () => {
    const store = createInMemoryEventStore();
    const trace: string[] = [];
    const step =
      (name: string): CommandMiddleware =>
      async (_ctx, next) => {
        trace.push(`${name}:before`);
        const outcome = await next();
        trace.push(`${name}:after:${outcome.nextExpectedVersion}`);
        return outcome;
      };
    const pipeline = createCommandPipeline({ middleware: [step('a'), step('b'), step('c')] });
    const result = await handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline });
    expect(trace).toEqual(['a:before', 'b:before', 'c:before', 'c:after:1', 'b:after:1', 'a:after:1']);
    expect(result.state).toEqual({ balance: 5 });
    expect((await events(store)).length).toBe(2);
  });

  it('lets middleware enrich the context and replace the command', async () => {
    const store = createInMemoryEventStore();
    const pipeline = createCommandPipeline({
      middleware: [
        (ctx, next) => {
          ctx.metadata.user = 'ada';
          ctx.command = { amount: (ctx.command as Command).amount * 2 };
          return next();
        },
      ],
    });
    await handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline, context: { correlationId: 'req-1', commandId: 'cmd-1' } });
    const stored = await events(store);
    expect(stored[0]!.data).toEqual({ amount: 10 });
    expect(stored[0]!.metadata).toEqual({ user: 'ada', correlationId: 'req-1', causationId: 'cmd-1' });
    expect(stored[1]!.metadata).toEqual({ user: 'ada', note: 'fee', correlationId: 'req-1', causationId: 'cmd-1' });
  });

  it('short-circuits without deciding or appending, and reports the loaded state', async () => {
    const store = createInMemoryEventStore();
    await handleCommand(store, account, 'account-1', { amount: 7 });
    let decided = false;
    const pipeline = createCommandPipeline({
      middleware: [() => ({ events: [], nextExpectedVersion: 1, position: -1 }), () => {
        decided = true;
        throw new Error('unreachable');
      }],
    });
    const result = await handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline });
    expect(decided).toBe(false);
    expect(result).toMatchObject({ events: [], nextExpectedVersion: 1, position: -1, state: { balance: 7 } });
    expect((await events(store)).length).toBe(2);
  });

  it('rejects with a typed error and stores nothing', async () => {
    const store = createInMemoryEventStore();
    const pipeline = createCommandPipeline({
      middleware: [
        (ctx, next) => {
          if (ctx.metadata.user === undefined) throw new CommandRejectedError('no user', { reason: 'unauthenticated' });
          return next();
        },
      ],
    });
    const error = await failure(handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline }));
    expect(isStrataError(error, 'COMMAND_REJECTED')).toBe(true);
    expect((error as CommandRejectedError).details.reason).toBe('unauthenticated');
    expect(await store.headPosition()).toBe(-1);
  });

  it('refuses a second next() and a malformed outcome', async () => {
    const store = createInMemoryEventStore();
    const twice = createCommandPipeline({ middleware: [async (_ctx, next) => { await next(); return next(); }] });
    expect(isStrataError(await failure(handleCommand(store, account, 'account-1', { amount: 1 }, { pipeline: twice })), 'INVALID_ARGUMENT')).toBe(true);
    const bogus = createCommandPipeline({ middleware: [() => ({}) as never] });
    expect(isStrataError(await failure(handleCommand(store, account, 'account-2', { amount: 1 }, { pipeline: bogus })), 'INVALID_ARGUMENT')).toBe(true);
  });

  it('validates its options, naming the offender', () => {
    for (const bad of [{ middleware: 'x' }, { middleware: [1] }, { enrichers: [null] }, { correlation: 'yes' }]) {
      let caught: unknown;
      try {
        createCommandPipeline(bad as never);
      } catch (error) {
        caught = error;
      }
      expect(isStrataError(caught, 'INVALID_ARGUMENT')).toBe(true);
    }
    expect(() => createCommandPipeline({ middleware: [1 as never] })).toThrow(/middleware\[0\]/);
  });
});

describe('event enrichers', () => {
  it('run concurrently, merge in declaration order, and later ones win', async () => {
    const store = createInMemoryEventStore();
    let running = 0;
    let overlapped = 0;
    const slow =
      (metadata: Record<string, unknown>): EventEnricher =>
      async () => {
        running++;
        await tick();
        await tick();
        if (running > 1) overlapped++;
        running--;
        return metadata;
      };
    const perEvent: EventEnricher = (_ctx, list) => list.map((_event, index) => ({ index }));
    const pipeline = createCommandPipeline({ enrichers: [slow({ tenant: 't1', who: 'first' }), slow({ who: 'second' }), perEvent], correlation: false });
    await handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline });
    expect(overlapped).toBeGreaterThan(0);
    const stored = await events(store);
    expect(stored.map((event) => event.metadata)).toEqual([
      { tenant: 't1', who: 'second', index: 0 },
      { note: 'fee', tenant: 't1', who: 'second', index: 1 },
    ]);
  });

  it('fail the command with nothing appended when one fails, sync or async', async () => {
    const store = createInMemoryEventStore();
    const asyncFailure = createCommandPipeline({ enrichers: [async () => ({ a: 1 }), async () => Promise.reject(new Error('lookup failed'))] });
    expect(((await failure(handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline: asyncFailure }))) as Error).message).toBe('lookup failed');
    const syncFailure = createCommandPipeline({ enrichers: [async () => ({ a: 1 }), () => { throw new Error('boom'); }] });
    expect(((await failure(handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline: syncFailure }))) as Error).message).toBe('boom');
    const malformed = createCommandPipeline({ enrichers: [() => [{ a: 1 }] as never] });
    expect(isStrataError(await failure(handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline: malformed })), 'INVALID_ARGUMENT')).toBe(true);
    expect(await store.headPosition()).toBe(-1);
  });

  it('never let a __proto__ key reach a prototype (the store then refuses it, storing nothing)', async () => {
    const store = createInMemoryEventStore();
    const pipeline = createCommandPipeline({ enrichers: [() => JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>], correlation: false });
    const error = await failure(handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline }));
    expect(isStrataError(error, 'SERIALIZATION_FAILED')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await store.headPosition()).toBe(-1);
  });

  it('run again over freshly decided events on a concurrency retry', async () => {
    const store = createInMemoryEventStore();
    let calls = 0;
    let raced = false;
    const pipeline = createCommandPipeline({
      enrichers: [
        async () => {
          calls++;
          if (!raced) {
            raced = true;
            await store.append('account-1', [{ type: 'Deposited', data: { amount: 100 } }]);
          }
          return { attempt: calls };
        },
      ],
    });
    const result = await handleCommand(store, account, 'account-1', { amount: 5 }, { pipeline });
    expect(result.retries).toBe(1);
    expect(result.state).toEqual({ balance: 105 });
    expect((await events(store)).slice(1).map((event) => event.metadata.attempt)).toEqual([2, 2]);
  });
});
