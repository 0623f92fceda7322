import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { defineAggregate } from '../aggregate/define-aggregate.js';
import { handleCommand } from '../aggregate/handle-command.js';
import { isStrataError } from '../errors/strata-error.js';
import { definePlugin } from './plugin.js';
import { createPluginHost } from './plugin-host.js';

const counter = defineAggregate<number, number, { type: 'Added'; data: number }>({
  name: 'counter',
  initialState: 0,
  evolve: (state, event) => state + event.data,
  decide: (by) => ({ type: 'Added', data: by }),
});

function tracked(name: string, trace: string[], failStart = false, failStop = false) {
  return definePlugin({
    name,
    async start(context) {
      trace.push(`start:${name}:${String(context.app)}`);
      if (failStart) throw new Error(`${name} cannot start`);
    },
    stop() {
      trace.push(`stop:${name}`);
      if (failStop) throw new Error(`${name} cannot stop`);
    },
  });
}

async function failure(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('plugins', () => {
  it('start in order with the context and stop in reverse', async () => {
    const trace: string[] = [];
    const host = createPluginHost({ plugins: [tracked('a', trace), tracked('b', trace), tracked('c', trace)] });
    await host.start({ app: 'bank' });
    await host.close();
    await host.close();
    expect(trace).toEqual(['start:a:bank', 'start:b:bank', 'start:c:bank', 'stop:c', 'stop:b', 'stop:a']);
  });

  it('after a failed start, close releases the started plugins and the failed one, and no later one starts', async () => {
    const trace: string[] = [];
    const host = createPluginHost({ plugins: [tracked('a', trace), tracked('b', trace, true), tracked('c', trace)] });
    const error = await failure(host.start({ app: 'x' }));
    expect(isStrataError(error, 'PLUGIN_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/'b'/);
    await host.close();
    expect(trace).toEqual(['start:a:x', 'start:b:x', 'stop:b', 'stop:a']);
  });

  it('stops every plugin even when a stop fails, then reports the failures', async () => {
    const trace: string[] = [];
    const host = createPluginHost({ plugins: [tracked('a', trace, false, true), tracked('b', trace, false, true), tracked('c', trace)] });
    await host.start();
    const error = await failure(host.close());
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((inner: unknown) => (inner as { code: string }).code)).toEqual(['PLUGIN_FAILED', 'PLUGIN_FAILED']);
    expect(trace.filter((line) => line.startsWith('stop'))).toEqual(['stop:c', 'stop:b', 'stop:a']);
    expect(isStrataError(await failure(host.start()), 'STORE_CLOSED')).toBe(true);
  });

  it("combine the application's and the plugins' middleware and enrichers, in order, into one pipeline", async () => {
    const trace: string[] = [];
    const mark = (name: string) => async (_ctx: unknown, next: () => Promise<unknown>) => {
      trace.push(name);
      return next();
    };
    const host = createPluginHost({
      middleware: [mark('app') as never],
      enrichers: [() => ({ source: 'app', app: true })],
      plugins: [
        definePlugin({ name: 'tenancy', middleware: [mark('tenancy') as never], enrichers: [() => ({ source: 'tenancy' })], projections: ['p1'] }),
        definePlugin({ name: 'audit', middleware: [mark('audit') as never], projections: ['p2'] }),
      ],
    });
    expect(host.projections).toEqual(['p1', 'p2']);
    const store = createInMemoryEventStore();
    await handleCommand(store, counter, 'counter-1', 3, { pipeline: host.pipeline, context: { commandId: 'c1' } });
    expect(trace).toEqual(['app', 'tenancy', 'audit']);
    for await (const event of store.readStream('counter-1')) {
      expect(event.metadata).toEqual({ source: 'tenancy', app: true, correlationId: 'c1', causationId: 'c1' });
    }
  });

  it('validate plugins and names', () => {
    const codeOf = (action: () => unknown): unknown => {
      try {
        action();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return undefined;
    };
    expect(codeOf(() => definePlugin({ name: '' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => definePlugin({ name: 'x', middleware: [1 as never] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => definePlugin({ name: 'x', start: 'no' as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => createPluginHost({ plugins: [{ name: 'fake' } as never] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => createPluginHost({ plugins: [definePlugin({ name: 'x' }), definePlugin({ name: 'x' })] }))).toBe('INVALID_ARGUMENT');
  });
});
