import type { IncomingMessage } from 'node:http';
import type { ExpectedVersion } from '@strata/core';
import type { CommandBus } from '../commands/command-bus.js';
import type { BankEventStore } from '../app/open-event-store.js';
import type { RequestPlan, StoredResponse } from '../idempotency/idempotency-store.js';
import type { ReadSide } from '../read/read-side.js';
import type { TransferDriver } from '../transfers/transfer-driver.js';
import type { Validator } from './json-schema.js';
import type { RouteParams } from './router.js';

/** What route handlers work with. */
export type BankServices = {
  store: BankEventStore;
  bus: CommandBus;
  driver: TransferDriver;
  readSide: ReadSide;
  nodeId: string;
};

/** A request as a route handler sees it. */
export type RouteContext = {
  request: IncomingMessage;
  url: URL;
  params: RouteParams;
  services: BankServices;
  /** The version in `If-Match`, when given. */
  expectedVersion?: ExpectedVersion;
  /** Metadata for the events the request produces (node, idempotency key). */
  metadata: Record<string, string>;
};

/** A command: authenticated, idempotent, with a validated JSON body. */
export type CommandRoute<B = unknown> = {
  kind: 'command';
  body: Validator<B>;
  /** Checks made before the idempotency key is claimed; a failure stores nothing. */
  precheck?(context: RouteContext, body: B): Promise<void>;
  /** Ids the first attempt generates and every retry reuses. */
  plan(): RequestPlan;
  /**
   * Runs the command. `resumed` is true when an earlier attempt with the same key may have run
   * it already (it was cut off before answering).
   */
  run(context: RouteContext, body: B, plan: RequestPlan, resumed: boolean): Promise<StoredResponse>;
};

/** A query: open, no body. */
export type QueryRoute = {
  kind: 'query';
  run(context: RouteContext): Promise<StoredResponse>;
};

/** Any route. */
export type BankRoute = CommandRoute<unknown> | QueryRoute;

/** Erases a command route's body type for the router (its validator produces what its handler takes). */
export function commandRoute<B>(route: CommandRoute<B>): CommandRoute<unknown> {
  return route as unknown as CommandRoute<unknown>;
}
