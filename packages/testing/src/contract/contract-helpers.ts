import { expect } from 'vitest';
import {
  isStrataError,
  type ErrorCode,
  type EventData,
  type EventStore,
  type RecordedEvent,
  type StrataError,
} from '@strata/core';

import { collect } from '../helpers/collect.js';

export { collect };

/** Lets other queued work run: one macrotask turn. Used to interleave writers, never to wait for time. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Builds an event to append. */
export function event(type: string, data: unknown, extra: Omit<EventData, 'type' | 'data'> = {}): EventData {
  return { type, data, ...extra };
}

/** `count` events of `type` whose data carries `{ index }`, plus `tag` when given. */
export function events(count: number, type = 'Happened', tag?: string): EventData[] {
  return Array.from({ length: count }, (_, index) => event(type, tag === undefined ? { index } : { index, tag }));
}

/** Describes a thrown value for a failure message. */
export function describeError(error: unknown): string {
  if (isStrataError(error)) return `${error.name} [${error.code}]: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `a non-error value (${String(error)})`;
}

/**
 * Runs `action` (sync or async) and asserts it fails with a Strata error of `code` (or one of
 * `codes`). Returns the error for further checks on its details.
 */
export async function expectCode(
  action: () => unknown,
  code: ErrorCode | readonly ErrorCode[],
  what: string,
): Promise<StrataError> {
  const codes: readonly ErrorCode[] = typeof code === 'string' ? [code] : code;
  let outcome: unknown;
  try {
    outcome = await action();
  } catch (error) {
    if (!codes.some((c) => isStrataError(error, c))) {
      expect.fail(`${what}: expected a StrataError with code ${codes.join(' or ')}, got ${describeError(error)}`);
    }
    return error as StrataError;
  }
  return expect.fail(`${what}: expected ${codes.join(' or ')}, but it succeeded with ${safeStringify(outcome)}`);
}

/**
 * Asserts that `subscribe` refuses its options: either it throws, or the returned subscription's
 * `closed` rejects, with `code`.
 */
export async function expectSubscribeCode(subscribe: () => { closed: Promise<void> }, code: ErrorCode, what: string) {
  return expectCode(async () => {
    const subscription = subscribe();
    await subscription.closed;
  }, code, what);
}

/** The stored facts of an event, without `recordedAt` (for comparisons). */
export type EventFacts = Omit<RecordedEvent, 'recordedAt'>;

/** Projects a recorded event onto the facts the suite compares. */
export function facts(recorded: RecordedEvent): EventFacts {
  return {
    streamId: recorded.streamId,
    version: recorded.version,
    position: recorded.position,
    id: recorded.id,
    type: recorded.type,
    data: recorded.data,
    metadata: recorded.metadata,
    schemaVersion: recorded.schemaVersion,
  };
}

/** Asserts that a list of numbers is strictly increasing. */
export function expectStrictlyIncreasing(values: readonly number[], what: string): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!)) {
      expect.fail(`${what}: expected strictly increasing values, but [${i - 1}] = ${values[i - 1]} and [${i}] = ${values[i]}`);
    }
  }
}

/** Asserts that nothing is stored: the log reads empty and the head is still -1. */
export async function expectEmptyStore(store: EventStore, what: string): Promise<void> {
  expect((await collect(store.readAll())).map(facts), `${what}: nothing may be stored`).toEqual([]);
  expect(await store.headPosition(), `${what}: the head must stay at -1`).toBe(-1);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
