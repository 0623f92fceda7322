import { describe, expect, it } from 'vitest';
import { MAX_STREAM_ID_LENGTH, type EventData, type EventStore } from '@strata/core';
import type { ContractCases } from '../contract-context.js';
import { collect, event, expectCode, expectEmptyStore } from '../contract-helpers.js';

const INVALID_STREAM_IDS: [string, unknown][] = [
  ['an empty string', ''],
  ['no dash', 'account'],
  ['an empty category', '-42'],
  ['an empty id', 'account-'],
  ['a category starting with a digit', '1account-1'],
  ['a space in the category', 'acc ount-1'],
  ['a control character', 'account-4\u00002'],
  ['a lone surrogate', 'account-\ud800'],
  ['more than the maximum length', `account-${'x'.repeat(MAX_STREAM_ID_LENGTH)}`],
  ['a number', 42],
  ['undefined', undefined],
];

const INVALID_EXPECTED_VERSIONS: [string, unknown][] = [
  ['-2', -2],
  ['a fraction', 1.5],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['an unknown word', 'latest'],
  ['a numeric string', '3'],
  ['an object', { version: 1 }],
];

const INVALID_EVENTS: [string, unknown][] = [
  ['not an array', { type: 'Opened', data: {} }],
  ['a null event', [null]],
  ['a number as event', [42]],
  ['a missing type', [{ data: {} }]],
  ['an empty type', [{ type: '', data: {} }]],
  ['a non-string type', [{ type: 7, data: {} }]],
  ['missing data', [{ type: 'Opened' }]],
  ['metadata that is not an object', [{ type: 'Opened', data: {}, metadata: 'admin' }]],
  ['metadata that is an array', [{ type: 'Opened', data: {}, metadata: ['admin'] }]],
  ['an empty id', [{ type: 'Opened', data: {}, id: '' }]],
  ['a non-string id', [{ type: 'Opened', data: {}, id: 5 }]],
  ['one id twice in one append', [{ type: 'A', data: 1, id: 'same' }, { type: 'B', data: 2, id: 'same' }]],
  ['schemaVersion 0', [{ type: 'Opened', data: {}, schemaVersion: 0 }]],
  ['a fractional schemaVersion', [{ type: 'Opened', data: {}, schemaVersion: 1.5 }]],
  ['a bad second event', [{ type: 'Opened', data: {} }, { data: {} }]],
];

function cycle(): unknown {
  const node: Record<string, unknown> = { name: 'loop' };
  node['self'] = node;
  return node;
}

const UNSERIALIZABLE: [string, () => EventData[]][] = [
  ['a function in data', () => [event('Opened', { callback: () => 1 })]],
  ['a cycle in data', () => [event('Opened', cycle())]],
  ['a symbol in data', () => [event('Opened', { tag: Symbol('x') })]],
  ['a function in metadata', () => [event('Opened', {}, { metadata: { callback: () => 1 } })]],
  ['a cycle in metadata', () => [event('Opened', {}, { metadata: { loop: cycle() } })]],
  ['a function as data', () => [event('Opened', () => 1)]],
  ['an unserializable second event', () => [event('Opened', {}), event('Renamed', { at: Symbol('now') })]],
];

const append = (store: EventStore, stream: unknown, events: unknown, expectedVersion?: unknown) =>
  store.append(stream as string, events as EventData[], { expectedVersion } as never);

/** Bad input: a typed error and nothing stored. */
export const validationCases: ContractCases = ({ store, options }) => {
  describe('bad input is refused with a typed error and nothing stored', () => {
    it('refuses an append with no events (INVALID_ARGUMENT)', async () => {
      const s = store();
      await expectCode(() => s.append('account-1', []), 'INVALID_ARGUMENT', 'empty append');
      await expectEmptyStore(s, 'empty append');
      expect(await s.streamInfo('account-1')).toBeUndefined();
    }, options.timeoutMs);

    it('refuses invalid stream ids in every operation (INVALID_ARGUMENT)', async () => {
      const s = store();
      for (const [name, id] of INVALID_STREAM_IDS) {
        const stream = id as string;
        await expectCode(() => append(s, id, [event('Opened', {})]), 'INVALID_ARGUMENT', `append to ${name}`);
        await expectCode(() => collect(s.readStream(stream)), 'INVALID_ARGUMENT', `readStream of ${name}`);
        await expectCode(() => s.streamInfo(stream), 'INVALID_ARGUMENT', `streamInfo of ${name}`);
        await expectCode(() => s.setStreamMetadata(stream, {}), 'INVALID_ARGUMENT', `setStreamMetadata of ${name}`);
        await expectCode(() => s.deleteStream(stream), 'INVALID_ARGUMENT', `deleteStream of ${name}`);
      }
      await expectEmptyStore(s, 'invalid stream ids');
    }, options.timeoutMs);

    it('refuses invalid expected versions (INVALID_ARGUMENT)', async () => {
      const s = store();
      await s.append('account-1', [event('Opened', {})]);
      for (const [name, expected] of INVALID_EXPECTED_VERSIONS) {
        await expectCode(() => append(s, 'account-1', [event('Deposited', {})], expected), 'INVALID_ARGUMENT', `append expecting ${name}`);
        await expectCode(() => append(s, 'account-2', [event('Opened', {})], expected), 'INVALID_ARGUMENT', `new stream expecting ${name}`);
        await expectCode(
          () => s.deleteStream('account-1', { expectedVersion: expected as number }),
          'INVALID_ARGUMENT',
          `delete expecting ${name}`,
        );
      }
      expect((await collect(s.readAll())).map((e) => e.type)).toEqual(['Opened']);
      expect(await s.streamInfo('account-2')).toBeUndefined();
    }, options.timeoutMs);

    it('refuses malformed events (INVALID_ARGUMENT), all-or-nothing', async () => {
      const s = store();
      for (const [name, events] of INVALID_EVENTS) {
        await expectCode(() => append(s, 'account-1', events), 'INVALID_ARGUMENT', name);
      }
      await expectEmptyStore(s, 'malformed events');
    }, options.timeoutMs);

    it('refuses unserializable data and metadata (SERIALIZATION_FAILED), all-or-nothing', async () => {
      const s = store();
      for (const [name, build] of UNSERIALIZABLE) {
        await expectCode(() => s.append('account-1', build()), 'SERIALIZATION_FAILED', name);
      }
      await expectEmptyStore(s, 'unserializable events');
      await expectCode(
        () => s.setStreamMetadata('account-1', { callback: () => 1 }),
        'SERIALIZATION_FAILED',
        'unserializable stream metadata',
      );
    }, options.timeoutMs);

    it(`refuses an event larger than the maximum event size of ${options.maxEventBytes} bytes (INVALID_ARGUMENT)`, async () => {
      const s = store();
      const huge = 'x'.repeat(options.maxEventBytes + 1);
      await expectCode(() => s.append('account-1', [event('Uploaded', { blob: huge })]), 'INVALID_ARGUMENT', 'oversize data');
      await expectCode(
        () => s.append('account-1', [event('Uploaded', {}), event('Uploaded', {}, { metadata: { blob: huge } })]),
        'INVALID_ARGUMENT',
        'oversize metadata of a second event',
      );
      await expectEmptyStore(s, 'oversize events');
      const half = 'y'.repeat(Math.floor(options.maxEventBytes / 2));
      await s.append('account-1', [event('Uploaded', { blob: half })]);
      const [read] = await collect(s.readStream('account-1'));
      expect((read?.data as { blob: string }).blob.length, 'an event of half the limit is accepted').toBe(half.length);
    }, options.timeoutMs);

    it('refuses invalid read options (INVALID_ARGUMENT)', async () => {
      const s = store();
      await s.append('account-1', [event('Opened', {})]);
      const badStream: [string, object][] = [
        ['negative from', { from: -1 }],
        ['fractional from', { from: 0.5 }],
        ['negative maxCount', { maxCount: -1 }],
        ['an unknown direction', { direction: 'sideways' }],
      ];
      for (const [name, opts] of badStream) {
        await expectCode(() => collect(s.readStream('account-1', opts as never)), 'INVALID_ARGUMENT', `readStream with ${name}`);
      }
      const badAll: [string, object][] = [
        ['negative from', { from: -1 }],
        ['fractional maxCount', { maxCount: 1.5 }],
        ['a types filter that is not an array', { filter: { types: 'Opened' } }],
        ['a categories filter with a number', { filter: { categories: [1] } }],
      ];
      for (const [name, opts] of badAll) {
        await expectCode(() => collect(s.readAll(opts as never)), 'INVALID_ARGUMENT', `readAll with ${name}`);
      }
      for (const [name, metadata] of [['an array', []], ['a string', 'x'], ['null', null]] as const) {
        await expectCode(() => s.setStreamMetadata('account-1', metadata as never), 'INVALID_ARGUMENT', `stream metadata ${name}`);
      }
    }, options.timeoutMs);
  });
};
