import { InvalidArgumentError } from '../errors/errors.js';
import type { EventMetadata } from '../events/event-data.js';

/** The minimal shape of a domain event: a type tag and a payload. */
export type DomainEvent = { type: string; data: unknown };

/** An event a decider emits: the domain event plus optional id, metadata and schema version. */
export type DecidedEvent<TEvent extends DomainEvent> = TEvent & {
  id?: string;
  metadata?: EventMetadata;
  schemaVersion?: number;
};

/** What `decide` returns: one event, several, none, or a promise of those. */
export type Decision<TEvent extends DomainEvent> =
  | DecidedEvent<TEvent>
  | readonly DecidedEvent<TEvent>[]
  | Promise<DecidedEvent<TEvent> | readonly DecidedEvent<TEvent>[]>;

/** A decider as written by users. */
export type AggregateSpec<TState, TCommand, TEvent extends DomainEvent> = {
  /** Aggregate name; also the usual stream category (`account` → `account-42`). */
  name: string;
  /** The state before any event: a value (deep-copied per use) or a factory. */
  initialState: TState | (() => TState);
  /** Folds one event into the state. Must be pure; return the new state. */
  evolve(state: TState, event: TEvent): TState;
  /** Decides which events a command produces, or throws to reject it. Must not mutate `state`. */
  decide(command: TCommand, state: TState): Decision<TEvent>;
  /** Save a snapshot each time the stream crosses a multiple of this many events. */
  snapshotEvery?: number;
  /** Version of the state's shape; bump it when `evolve` changes, so old snapshots are ignored. Default 1. */
  stateSchemaVersion?: number;
};

/** A validated, frozen decider, ready for `handleCommand` and the processor. */
export interface Aggregate<TState = unknown, TCommand = unknown, TEvent extends DomainEvent = DomainEvent> {
  readonly name: string;
  readonly snapshotEvery: number | undefined;
  readonly stateSchemaVersion: number;
  /** A fresh initial state. */
  initialState(): TState;
  evolve(state: TState, event: TEvent): TState;
  decide(command: TCommand, state: TState): Decision<TEvent>;
}

const AGGREGATE_BRAND = Symbol.for('@strata/core/Aggregate');
const NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;

/**
 * Defines an aggregate as a decider: plain functions over state, easy to test and to load in
 * worker threads. Validates every field and fails with `INVALID_ARGUMENT` naming it.
 */
export function defineAggregate<TState, TCommand, TEvent extends DomainEvent>(
  spec: AggregateSpec<TState, TCommand, TEvent>,
): Aggregate<TState, TCommand, TEvent> {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError('aggregate', 'expected an object');
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) {
    throw new InvalidArgumentError('aggregate.name', 'expected letters, digits, "_" or "." starting with a letter');
  }
  if (typeof spec.evolve !== 'function') throw new InvalidArgumentError('aggregate.evolve', 'expected a function');
  if (typeof spec.decide !== 'function') throw new InvalidArgumentError('aggregate.decide', 'expected a function');
  if (!('initialState' in spec)) throw new InvalidArgumentError('aggregate.initialState', 'is required');
  if (spec.snapshotEvery !== undefined && !(Number.isSafeInteger(spec.snapshotEvery) && spec.snapshotEvery > 0)) {
    throw new InvalidArgumentError('aggregate.snapshotEvery', 'expected a positive integer');
  }
  const stateSchemaVersion = spec.stateSchemaVersion ?? 1;
  if (!Number.isSafeInteger(stateSchemaVersion) || stateSchemaVersion < 1) {
    throw new InvalidArgumentError('aggregate.stateSchemaVersion', 'expected an integer >= 1');
  }
  const initial = spec.initialState;
  const initialState =
    typeof initial === 'function' ? (initial as () => TState) : () => structuredClone(initial) as TState;
  const evolve = spec.evolve.bind(spec);
  const decide = spec.decide.bind(spec);
  const aggregate: Aggregate<TState, TCommand, TEvent> = {
    name: spec.name,
    snapshotEvery: spec.snapshotEvery,
    stateSchemaVersion,
    initialState,
    evolve,
    decide,
  };
  Object.defineProperty(aggregate, AGGREGATE_BRAND, { value: true });
  return Object.freeze(aggregate);
}

/** True for values made by {@link defineAggregate} (also across duplicate installs). */
export function isAggregate(value: unknown): value is Aggregate {
  return typeof value === 'object' && value !== null && (value as Record<PropertyKey, unknown>)[AGGREGATE_BRAND] === true;
}
