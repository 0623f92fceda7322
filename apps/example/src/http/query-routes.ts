import { loadAggregate } from '@strata/core';
import { account } from '../domain/account.js';
import { transfer } from '../domain/transfer.js';
import { MAX_AMOUNT } from '../domain/money.js';
import { ApiError } from '../errors/api-error.js';
import type { StoredResponse } from '../idempotency/idempotency-store.js';
import { accountStream, transferStream } from '../transfers/transfer-driver.js';
import { intParam, queryParams, stringParam } from './query-params.js';
import type { BankRoute, RouteContext } from './route-types.js';
import type { Router } from './router.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const OWNER = /^[\p{L}\p{N} ._@'-]{1,100}$/u;
const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;
/** How long a read-model query waits for `minPosition` (read-your-writes) before answering 503. */
const CONSISTENCY_WAIT_MS = 5_000;

const ok = (body: unknown, headers?: Record<string, string>): StoredResponse => (headers === undefined ? { status: 200, body } : { status: 200, body, headers });

/** Waits for the read models to reach `minPosition` when the caller asks for it. */
async function consistent(context: RouteContext, params: Map<string, string>): Promise<void> {
  const position = intParam(params, 'minPosition', -1, Number.MAX_SAFE_INTEGER);
  if (position !== undefined) await context.services.readSide.waitFor(position, CONSISTENCY_WAIT_MS);
}

function page(params: Map<string, string>): { limit: number; cursor?: string } {
  const limit = intParam(params, 'limit', 1, 500, 50)!;
  const cursor = stringParam(params, 'cursor', CURSOR);
  return cursor === undefined ? { limit } : { limit, cursor };
}

/** Registers the query routes (GET, no token). */
export function addQueryRoutes(router: Router<BankRoute>): void {
  router.add('GET', '/', {
    kind: 'query',
    run: async () =>
      ok({
        name: 'Strata sample bank',
        commands: ['POST /accounts', 'POST /accounts/:id/deposits', 'POST /accounts/:id/withdrawals', 'POST /accounts/:id/freeze', 'POST /accounts/:id/unfreeze', 'POST /accounts/:id/close', 'POST /transfers'],
        queries: ['GET /accounts/:id', 'GET /accounts?owner=', 'GET /accounts/:id/transactions', 'GET /balances?min=&max=', 'GET /totals/daily?from=&to=', 'GET /transfers/:id'],
        operations: ['GET /health', 'GET /metrics', 'GET /dashboard'],
      }),
  });

  router.add('GET', '/health', {
    kind: 'query',
    async run(context) {
      queryParams(context.url, []);
      const { services } = context;
      const head = await services.store.headPosition();
      return ok({
        status: 'ok',
        node: services.nodeId,
        commands: services.bus.kind,
        readModels: services.readSide.kind,
        headPosition: head,
        readModelPosition: services.readSide.position,
        transfersInFlight: services.driver.inFlight,
      });
    },
  });

  router.add('GET', '/accounts/:accountId', {
    kind: 'query',
    async run(context) {
      queryParams(context.url, []);
      const accountId = context.params.accountId!;
      const { state, version } = await loadAggregate(context.services.store, account, accountStream(accountId));
      if (state.status === 'none') throw new ApiError(404, 'ACCOUNT_NOT_FOUND', 'no such account');
      return ok({ accountId, owner: state.owner, status: state.status, balance: state.balance, version }, { etag: `"${version}"` });
    },
  });

  router.add('GET', '/accounts', {
    kind: 'query',
    async run(context) {
      const params = queryParams(context.url, ['owner', 'limit', 'cursor', 'minPosition']);
      const owner = stringParam(params, 'owner', OWNER);
      if (owner === undefined) throw new ApiError(400, 'VALIDATION_FAILED', 'owner is required');
      await consistent(context, params);
      return ok(await context.services.readSide.accountsByOwner(owner, page(params)));
    },
  });

  router.add('GET', '/balances', {
    kind: 'query',
    async run(context) {
      const params = queryParams(context.url, ['min', 'max', 'limit', 'cursor', 'minPosition']);
      const min = intParam(params, 'min', 0, MAX_AMOUNT * 1000);
      const max = intParam(params, 'max', 0, MAX_AMOUNT * 1000);
      await consistent(context, params);
      const query: { min?: number; max?: number; limit: number; cursor?: string } = page(params);
      if (min !== undefined) query.min = min;
      if (max !== undefined) query.max = max;
      return ok(await context.services.readSide.balances(query));
    },
  });

  router.add('GET', '/accounts/:accountId/transactions', {
    kind: 'query',
    async run(context) {
      const params = queryParams(context.url, ['limit', 'cursor', 'minPosition']);
      await consistent(context, params);
      return ok(await context.services.readSide.history(context.params.accountId!, page(params)));
    },
  });

  router.add('GET', '/totals/daily', {
    kind: 'query',
    async run(context) {
      const params = queryParams(context.url, ['from', 'to', 'minPosition']);
      const today = new Date().toISOString().slice(0, 10);
      const from = stringParam(params, 'from', DAY) ?? '0000-01-01';
      const to = stringParam(params, 'to', DAY) ?? today;
      await consistent(context, params);
      return ok({ days: await context.services.readSide.dailyTotals(from, to) });
    },
  });

  router.add('GET', '/transfers/:transferId', {
    kind: 'query',
    async run(context) {
      queryParams(context.url, []);
      const transferId = context.params.transferId!;
      const { state, version } = await loadAggregate(context.services.store, transfer, transferStream(transferId));
      if (state.status === 'none') throw new ApiError(404, 'TRANSFER_NOT_FOUND', 'no such transfer');
      return ok({ transferId, ...state, version });
    },
  });
}
