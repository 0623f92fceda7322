import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { InvalidArgumentError, isAggregate, type Aggregate, type DecidedEvent, type DomainEvent, type RecordedEvent } from '@strata/core';
import { describeMatcher, describeThrown, matchesError, type ErrorMatcher } from './error-matcher.js';

/** Options of {@link deciderSpec}. */
export type DeciderSpecOptions = {
  /** The stream id the given events claim to come from. Default `<aggregate name>-spec`. */
  streamId?: string;
};

/** The Given/When half of a decider spec. Immutable: each call returns a new spec. */
export interface DeciderSpec<TState, TCommand, TEvent extends DomainEvent> {
  /** Events that happened before the command (folded with `evolve`). Calls accumulate. */
  given(events: readonly DecidedEvent<TEvent>[]): DeciderSpec<TState, TCommand, TEvent>;
  /** The command to decide. */
  when(command: TCommand): DeciderSpecWhen<TState, TEvent>;
}

/**
 * The Then half of a decider spec. Each assertion runs `decide` once. For a synchronous decider
 * a failed assertion throws at once; for an async one the returned promise rejects, so `await` it.
 * This object has a `then` method but is not a promise: do not `await` it without calling one.
 */
export interface DeciderSpecWhen<TState, TEvent extends DomainEvent> {
  /**
   * Asserts the decided events. Each actual event is compared on `type` and `data`, plus `id`,
   * `metadata` and `schemaVersion` where the expected event gives them.
   */
  then(expected: readonly DecidedEvent<TEvent>[] | DecidedEvent<TEvent>): Promise<void>;
  /** Asserts that the command decides no event. */
  thenNothing(): Promise<void>;
  /** Asserts that `decide` throws (or rejects), optionally matching {@link ErrorMatcher}. */
  thenThrows(matcher?: ErrorMatcher): Promise<void>;
  /**
   * Asserts the state after the given and the decided events: deep equality with a value, or a
   * callback that makes its own assertions.
   */
  thenState(expected: TState | ((state: TState) => void)): Promise<void>;
}

type Outcome<TState, TEvent extends DomainEvent> =
  | { ok: true; events: readonly DecidedEvent<TEvent>[]; stateBefore: TState; version: number }
  | { ok: false; error: unknown };

/**
 * Given/When/Then specs for a decider made by `defineAggregate`: pure, no store. `given` events
 * are folded with `evolve` (shaped like recorded events, with versions from 0), `when` runs
 * `decide`, and the `then…` methods compare with vitest's `expect`, so failures show a diff.
 * Also fails when `decide` mutates the state it was given.
 *
 * @example
 * await deciderSpec(account)
 *   .given([{ type: 'Opened', data: { owner: 'ann' } }])
 *   .when({ type: 'Deposit', amount: 5 })
 *   .then([{ type: 'Deposited', data: { amount: 5 } }]);
 */
export function deciderSpec<TState, TCommand, TEvent extends DomainEvent>(
  aggregate: Aggregate<TState, TCommand, TEvent>,
  options: DeciderSpecOptions = {},
): DeciderSpec<TState, TCommand, TEvent> {
  if (!isAggregate(aggregate)) throw new InvalidArgumentError('aggregate', 'expected a value made by defineAggregate()');
  const streamId = options.streamId ?? `${aggregate.name}-spec`;
  if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidArgumentError('options.streamId', 'expected a non-empty string');
  return specWith(aggregate, streamId, []);
}

function specWith<TState, TCommand, TEvent extends DomainEvent>(
  aggregate: Aggregate<TState, TCommand, TEvent>,
  streamId: string,
  history: readonly DecidedEvent<TEvent>[],
): DeciderSpec<TState, TCommand, TEvent> {
  return Object.freeze({
    given(events: readonly DecidedEvent<TEvent>[]) {
      if (!Array.isArray(events)) throw new InvalidArgumentError('given', 'expected an array of events');
      events.forEach((e: unknown, i) => {
        if (typeof e !== 'object' || e === null || typeof (e as { type?: unknown }).type !== 'string') {
          throw new InvalidArgumentError(`given[${i}]`, 'expected an event with a string type');
        }
      });
      return specWith(aggregate, streamId, [...history, ...events]);
    },
    when(command: TCommand) {
      return whenWith(aggregate, streamId, history, command);
    },
  });
}

function whenWith<TState, TCommand, TEvent extends DomainEvent>(
  aggregate: Aggregate<TState, TCommand, TEvent>,
  streamId: string,
  history: readonly DecidedEvent<TEvent>[],
  command: TCommand,
): DeciderSpecWhen<TState, TEvent> {
  const label = `decide(${preview(command)})`;
  const evolve = (state: TState, event: DecidedEvent<TEvent>, version: number) =>
    aggregate.evolve(state, toRecorded(event, streamId, version) as unknown as TEvent);
  const run = () => decideOnce(aggregate, history, command, evolve);

  return Object.freeze({
    then(expected: readonly DecidedEvent<TEvent>[] | DecidedEvent<TEvent>) {
      if (typeof expected === 'function') {
        throw new TypeError('A decider spec is not awaitable: finish it with .then(events), .thenNothing(), .thenThrows() or .thenState()');
      }
      const list: readonly DecidedEvent<TEvent>[] = Array.isArray(expected) ? expected : [expected as DecidedEvent<TEvent>];
      return settle(run(), (outcome) => {
        const events = expectDecided(outcome, label, `the events ${preview(list)}`);
        expect(events.map((e, i) => project(e, list[i])), `events decided by ${label}`).toEqual(list.map((e) => project(e, e)));
      });
    },
    thenNothing() {
      return settle(run(), (outcome) => {
        const events = expectDecided(outcome, label, 'no events');
        expect(events.map((e) => project(e, undefined)), `${label} should decide no events`).toEqual([]);
      });
    },
    thenThrows(matcher?: ErrorMatcher) {
      return settle(run(), (outcome) => {
        if (outcome.ok) {
          expect.fail(`Expected ${label} to throw ${describeMatcher(matcher)}, but it decided ${preview(outcome.events)}`);
        }
        if (matcher !== undefined && !matchesError(outcome.error, matcher)) {
          expect.fail(`Expected ${label} to throw ${describeMatcher(matcher)}, but it threw ${describeThrown(outcome.error)}`);
        }
      });
    },
    thenState(expected: TState | ((state: TState) => void)) {
      return settle(run(), (outcome) => {
        const events = expectDecided(outcome, label, 'a state');
        if (!outcome.ok) return;
        let state = outcome.stateBefore;
        events.forEach((e, i) => (state = evolve(state, e, outcome.version + 1 + i)));
        if (typeof expected === 'function') (expected as (state: TState) => void)(state);
        else expect(state, `state after ${label}`).toEqual(expected);
      });
    },
  });
}

function decideOnce<TState, TCommand, TEvent extends DomainEvent>(
  aggregate: Aggregate<TState, TCommand, TEvent>,
  history: readonly DecidedEvent<TEvent>[],
  command: TCommand,
  evolve: (state: TState, event: DecidedEvent<TEvent>, version: number) => TState,
): Outcome<TState, TEvent> | Promise<Outcome<TState, TEvent>> {
  let state = aggregate.initialState();
  history.forEach((e, version) => (state = evolve(state, e, version)));
  const version = history.length - 1;
  const before = cloneIfPossible(state);
  const finish = (decision: unknown): Outcome<TState, TEvent> => {
    // Compare clone with clone: cloning drops prototypes, so a class-instance state compares fairly.
    if (before.cloned && !isDeepStrictEqual(before.value, structuredClone(state))) {
      expect.fail(`decide mutated the state it was given (decide must return events, not change state)`);
    }
    return { ok: true, events: normalize<TEvent>(decision), stateBefore: state, version };
  };
  let decision: unknown;
  try {
    decision = aggregate.decide(command, state);
  } catch (error) {
    return { ok: false, error };
  }
  if (isPromiseLike(decision)) return Promise.resolve(decision).then(finish, (error: unknown) => ({ ok: false, error }));
  return finish(decision);
}

function expectDecided<TState, TEvent extends DomainEvent>(outcome: Outcome<TState, TEvent>, label: string, wanted: string) {
  if (!outcome.ok) expect.fail(`Expected ${label} to decide ${wanted}, but it threw ${describeThrown(outcome.error)}`);
  return outcome.events;
}

/** Runs `check` on an outcome now (sync decider) or when it settles (async decider). */
function settle<T>(outcome: T | Promise<T>, check: (outcome: T) => void): Promise<void> {
  if (isPromiseLike(outcome)) return Promise.resolve(outcome).then(check);
  check(outcome);
  return Promise.resolve();
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function normalize<TEvent extends DomainEvent>(decision: unknown): readonly DecidedEvent<TEvent>[] {
  if (decision === undefined || decision === null) return [];
  return (Array.isArray(decision) ? decision : [decision]) as DecidedEvent<TEvent>[];
}

/** The fields compared: type and data, plus the optional fields the expected event specifies. */
function project(actual: DecidedEvent<DomainEvent>, expected: DecidedEvent<DomainEvent> | undefined): Record<string, unknown> {
  const projected: Record<string, unknown> = { type: actual.type, data: actual.data };
  for (const key of ['id', 'metadata', 'schemaVersion'] as const) {
    if (expected !== undefined && expected[key] !== undefined) projected[key] = actual[key];
  }
  return projected;
}

function toRecorded(event: DecidedEvent<DomainEvent>, streamId: string, version: number): RecordedEvent {
  return {
    streamId,
    version,
    position: version,
    id: event.id ?? `${streamId}#${version}`,
    type: event.type,
    data: event.data,
    metadata: event.metadata ?? {},
    schemaVersion: event.schemaVersion ?? 1,
    recordedAt: new Date(0),
  };
}

function cloneIfPossible<T>(value: T): { cloned: true; value: T } | { cloned: false } {
  try {
    return { cloned: true, value: structuredClone(value) };
  } catch {
    // States holding functions or class instances cannot be cloned; the mutation check is skipped for them.
    return { cloned: false };
  }
}

function preview(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}
