import { expect } from 'vitest';
import {
  isStrataError,
  type AppendResult,
  type ErrorCode,
  type EventData,
  type EventStore,
  type ExpectedVersion,
  type RecordedEvent,
} from '@strata/core';
import { collect, describeError, facts } from '../contract-helpers.js';
import { MODEL_STREAMS, type ModelOperation } from './model-operations.js';
import { StoreModel, type Expectation, type ModelEvent } from './store-model.js';

type AppendRequest = { stream: string; events: EventData[]; expected: ExpectedVersion };

/**
 * Runs `operations` against `store` and an independent {@link StoreModel}, comparing every
 * outcome (results, error codes, the actual version of a conflict) as it goes, then compares
 * everything readable: `readAll`, `readStream` both ways, `streamInfo`, `headPosition` and a
 * subscription from the start. Throws an assertion error at the first disagreement.
 */
export async function runModelCheck(store: EventStore, operations: readonly ModelOperation[]): Promise<void> {
  const model = new StoreModel();
  const history: AppendRequest[] = [];
  for (const [step, op] of operations.entries()) {
    const where = `step ${step} (${op.kind})`;
    switch (op.kind) {
      case 'append':
        history.push({ stream: op.stream, events: op.events, expected: op.expected });
        await append(store, model, op, where);
        if (op.resend === true) await append(store, model, op, `${where}, resent`);
        break;
      case 'retry': {
        const original = history[history.length - 1 - (op.pick % Math.max(history.length, 1))];
        if (original === undefined) break;
        const request = { ...retried(original, op.variant), expected: op.expected === 'original' ? original.expected : op.expected };
        await append(store, model, request, `${where} (${op.variant}) of ${JSON.stringify(original)}`);
        break;
      }
      case 'delete':
        await deleteStream(store, model, op.stream, op.hard, op.expected, where);
        break;
      case 'setMetadata': {
        const errors = model.expectSetMetadata(op.stream);
        const error = await failure(() => store.setStreamMetadata(op.stream, op.metadata));
        expectOutcome(error, errors, undefined, where);
        if (error === undefined) model.applySetMetadata(op.stream, op.metadata);
        break;
      }
      case 'invalid':
        await invalidAppend(store, model, op.stream, op.variant, where);
        break;
      case 'readStream': {
        const opts = { direction: op.direction, from: op.from, maxCount: op.maxCount };
        const read = await collect(store.readStream(op.stream, opts));
        expect(read.map(facts), `${where}: readStream(${op.stream}, ${JSON.stringify(opts)})`).toEqual(model.readStream(op.stream, opts));
        break;
      }
      case 'readAll': {
        const positions = model.visiblePositions();
        const from = op.fromPick === undefined ? undefined : (positions[op.fromPick % (positions.length + 1)] ?? model.lastPosition + 1);
        const opts = { from, maxCount: op.maxCount, filter: op.filter };
        const read = await collect(store.readAll(opts));
        expect(read.map(facts), `${where}: readAll(${JSON.stringify(opts)})`).toEqual(model.readAll(opts));
        break;
      }
      case 'streamInfo':
        await compareInfo(store, model, op.stream, where);
        break;
    }
  }
  await compareEverything(store, model);
}

/** The request a retry sends: the original, or a variant that must not count as a retry. */
function retried(original: AppendRequest, variant: 'same' | 'otherData' | 'otherStream' | 'extended'): AppendRequest {
  const [first, ...rest] = original.events;
  switch (variant) {
    case 'same':
      return original;
    case 'otherData':
      return { ...original, events: [{ ...first!, data: { changed: true } }, ...rest] };
    case 'otherStream':
      return { ...original, stream: MODEL_STREAMS.find((s) => s !== original.stream)! };
    case 'extended':
      return { ...original, events: [...original.events, { type: 'Extra', data: null }] };
  }
}

async function failure(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
    return undefined;
  } catch (error) {
    return error ?? new Error('rejected with a nullish value');
  }
}

function expectOutcome(error: unknown, allowed: ReadonlySet<ErrorCode>, actual: { expected: ExpectedVersion; actual: number } | undefined, where: string) {
  const codes = [...allowed].join(' or ');
  if (error === undefined) {
    if (allowed.size > 0) expect.fail(`${where}: expected ${codes}, but the store succeeded`);
    return;
  }
  if (![...allowed].some((code) => isStrataError(error, code))) {
    expect.fail(`${where}: expected ${allowed.size === 0 ? 'success' : codes}, got ${describeError(error)}`);
  }
  if (actual !== undefined && isStrataError(error, 'WRONG_EXPECTED_VERSION')) {
    expect(error.details, `${where}: WRONG_EXPECTED_VERSION details`).toMatchObject(actual);
  }
}

async function append(store: EventStore, model: StoreModel, request: AppendRequest, where: string): Promise<void> {
  const { stream, events, expected } = request;
  const expectation: Expectation = model.expectAppend(stream, events, expected);
  let result: AppendResult | undefined;
  let error: unknown;
  try {
    result = await store.append(stream, events, { expectedVersion: expected });
  } catch (caught) {
    error = caught ?? new Error('rejected with a nullish value');
  }
  const label = `${where}: append(${stream}, ${JSON.stringify(events)}, ${JSON.stringify(expected)})`;
  if (result === undefined) {
    expectOutcome(error, expectation.errors, { expected, actual: expectation.actual }, label);
    return;
  }
  const success = expectation.success;
  if (success === undefined) return expect.fail(`${label}: expected ${[...expectation.errors].join(' or ')}, got ${JSON.stringify(result)}`);
  if (success.kind === 'retry') {
    expect(result, `${label}: a retry returns the original result`).toEqual(success.result);
    return;
  }
  expect(result.nextExpectedVersion, `${label}: nextExpectedVersion`).toBe(success.nextExpectedVersion);
  const read = await collect(store.readStream(stream, { from: success.firstVersion }));
  expect(read.map((e) => e.version), `${label}: the appended events read back`).toEqual(events.map((_, i) => success.firstVersion + i));
  read.forEach((recorded, i) => expectSameEvent(recorded, events[i]!, `${label}: event ${i}`));
  const positions = read.map((e) => e.position);
  expect(positions[0]! > model.lastPosition, `${label}: positions grow in commit order (${positions[0]} > ${model.lastPosition})`).toBe(true);
  positions.forEach((p, i) => i > 0 && expect(p > positions[i - 1]!, `${label}: positions within an append grow`).toBe(true));
  expect(positions.at(-1), `${label}: AppendResult.position is the last event's`).toBe(result.position);
  model.applyAppend(stream, read.map(toModelEvent));
}

function expectSameEvent(recorded: RecordedEvent, sent: EventData, label: string): void {
  expect(
    { type: recorded.type, data: recorded.data, metadata: recorded.metadata, schemaVersion: recorded.schemaVersion },
    label,
  ).toEqual({ type: sent.type, data: sent.data, metadata: sent.metadata ?? {}, schemaVersion: sent.schemaVersion ?? 1 });
  if (sent.id !== undefined) expect(recorded.id, `${label}: id`).toBe(sent.id);
}

function toModelEvent(recorded: RecordedEvent): ModelEvent {
  const { recordedAt: _recordedAt, ...rest } = recorded;
  return { ...rest };
}

async function deleteStream(store: EventStore, model: StoreModel, stream: string, hard: boolean, expected: ExpectedVersion, where: string) {
  const { errors, actual } = model.expectDelete(stream, expected);
  const error = await failure(() => store.deleteStream(stream, { hard, expectedVersion: expected }));
  expectOutcome(error, errors, { expected, actual }, `${where}: deleteStream(${stream}, hard: ${hard}, ${JSON.stringify(expected)})`);
  if (error === undefined) model.applyDelete(stream, hard);
}

async function invalidAppend(store: EventStore, model: StoreModel, stream: string, variant: string, where: string) {
  const cycle: Record<string, unknown> = {};
  cycle['self'] = cycle;
  const attempts: Record<string, [() => Promise<unknown>, ErrorCode]> = {
    empty: [() => store.append(stream, []), 'INVALID_ARGUMENT'],
    duplicateIds: [() => store.append(stream, [{ type: 'A', data: 1, id: 'twice' }, { type: 'B', data: 2, id: 'twice' }]), 'INVALID_ARGUMENT'],
    badExpected: [() => store.append(stream, [{ type: 'A', data: 1 }], { expectedVersion: -5 }), 'INVALID_ARGUMENT'],
    unserializable: [() => store.append(stream, [{ type: 'A', data: 1 }, { type: 'B', data: cycle }]), 'SERIALIZATION_FAILED'],
  };
  const [attempt, code] = attempts[variant]!;
  const allowed = new Set<ErrorCode>([code]);
  // Validation may come before or after the tombstone check: either answer is right.
  if (model.expectSetMetadata(stream).has('STREAM_DELETED')) allowed.add('STREAM_DELETED');
  expectOutcome(await failure(attempt), allowed, undefined, `${where}: ${variant} append to ${stream}`);
}

async function compareInfo(store: EventStore, model: StoreModel, stream: string, where: string): Promise<void> {
  const info = await store.streamInfo(stream);
  const { allowed } = model.streamInfo(stream);
  expect(allowed, `${where}: streamInfo(${stream}) = ${JSON.stringify(info)}`).toContainEqual(info);
}

async function compareEverything(store: EventStore, model: StoreModel): Promise<void> {
  const all = await collect(store.readAll());
  expect(all.map(facts), 'final readAll').toEqual(model.readAll());
  for (const stream of new Set([...MODEL_STREAMS, ...model.streams()])) {
    expect((await collect(store.readStream(stream))).map(facts), `final readStream(${stream})`).toEqual(model.readStream(stream));
    expect((await collect(store.readStream(stream, { direction: 'backward' }))).map(facts), `final backward readStream(${stream})`).toEqual(
      model.readStream(stream, { direction: 'backward' }),
    );
    await compareInfo(store, model, stream, 'final');
  }
  const head = await store.headPosition();
  const lowest = all.at(-1)?.position ?? -1;
  expect(head >= lowest && head <= model.lastPosition, `headPosition ${head} within [${lowest}, ${model.lastPosition}]`).toBe(true);
  if (head < 0) return;
  const delivered: RecordedEvent[] = [];
  const subscription = store.subscribe({ from: 'start', batchSize: 4, handler: (e) => void delivered.push(e) });
  await subscription.waitFor(head);
  await subscription.stop();
  expect(delivered.map(facts), 'a subscription from the start delivers the visible log').toEqual(model.readAll());
}
