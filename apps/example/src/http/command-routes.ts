import { randomUUID } from 'node:crypto';
import { ErrorCodes, isStrataError, loadAggregate } from '@strata/core';
import { account, type AccountCommand } from '../domain/account.js';
import { appliedOutcome } from '../domain/applied-steps.js';
import { rejection } from '../domain/bank-rejection.js';
import { ID_PATTERN, MAX_AMOUNT } from '../domain/money.js';
import type { StoredResponse } from '../idempotency/idempotency-store.js';
import { accountStream, transferStream } from '../transfers/transfer-driver.js';
import { ApiError } from '../errors/api-error.js';
import { compileSchema } from './json-schema.js';
import { commandRoute, type BankRoute, type CommandRoute, type RouteContext } from './route-types.js';
import type { Router } from './router.js';

const ID = ID_PATTERN.source;
const amount = { type: 'integer', minimum: 1, maximum: MAX_AMOUNT } as const;
const emptyBody = compileSchema<Record<string, never>>({ type: 'object', properties: {} });
const openBody = compileSchema<{ owner: string }>({
  type: 'object',
  properties: { owner: { type: 'string', minLength: 1, maxLength: 100, pattern: "^[\\p{L}\\p{N} ._@'-]+$" } },
  required: ['owner'],
});
const amountBody = compileSchema<{ amount: number }>({ type: 'object', properties: { amount }, required: ['amount'] });
const transferBody = compileSchema<{ from: string; to: string; amount: number }>({
  type: 'object',
  properties: { from: { type: 'string', pattern: ID }, to: { type: 'string', pattern: ID }, amount },
  required: ['from', 'to', 'amount'],
});

/** The answer to an account command: the new version is also the ETag. */
function accountAnswer(status: number, accountId: string, version: number, position: number, extra: Record<string, unknown> = {}): StoredResponse {
  return { status, body: { accountId, version, position, ...extra }, headers: { etag: `"${version}"` } };
}

async function accountExists(context: RouteContext, accountId: string): Promise<boolean> {
  const info = await context.services.store.streamInfo(accountStream(accountId));
  return info !== undefined && info.version >= 0;
}

/** An account command whose replay after a cut-off attempt is recognised by the account's memory of request ids. */
function accountCommand<B>(
  validator: CommandRoute<B>['body'],
  toCommand: (body: B, requestId: string) => AccountCommand,
): CommandRoute<B> {
  return {
    kind: 'command',
    body: validator,
    plan: () => ({ requestId: randomUUID() }),
    async run(context, body, plan, resumed) {
      const accountId = context.params.accountId!;
      const stream = accountStream(accountId);
      const command = toCommand(body, plan.requestId!);
      try {
        const options = context.expectedVersion === undefined ? { metadata: context.metadata } : { metadata: context.metadata, expectedVersion: context.expectedVersion };
        const result = await context.services.bus.execute('account', stream, command, options);
        return accountAnswer(200, accountId, result.nextExpectedVersion, result.position);
      } catch (error) {
        // An attempt cut off after its command was applied: the account moved past If-Match
        // because of this very request.
        if (resumed && isStrataError(error, ErrorCodes.WRONG_EXPECTED_VERSION)) {
          const loaded = await loadAggregate(context.services.store, account, stream);
          if (appliedOutcome(loaded.state.applied, `q:${plan.requestId}`) === 'ok') return accountAnswer(200, accountId, loaded.version, -1);
        }
        throw error;
      }
    },
  };
}

/** Registers the command routes (POST, bearer token, Idempotency-Key). */
export function addCommandRoutes(router: Router<BankRoute>): void {
  router.add('POST', '/accounts', commandRoute({
    kind: 'command',
    body: openBody,
    plan: () => ({ accountId: randomUUID() }),
    async run(context, body, plan) {
      const accountId = plan.accountId!;
      const result = await context.services.bus.execute('account', accountStream(accountId), { type: 'Open', owner: body.owner } satisfies AccountCommand, {
        metadata: context.metadata,
      });
      const answer = accountAnswer(201, accountId, result.nextExpectedVersion, result.position, { owner: body.owner });
      answer.headers!.location = `/accounts/${accountId}`;
      return answer;
    },
  } satisfies CommandRoute<{ owner: string }>));

  router.add('POST', '/accounts/:accountId/deposits', commandRoute(accountCommand(amountBody, (b, requestId) => ({ type: 'Deposit', amount: b.amount, requestId }))));
  router.add('POST', '/accounts/:accountId/withdrawals', commandRoute(accountCommand(amountBody, (b, requestId) => ({ type: 'Withdraw', amount: b.amount, requestId }))));
  router.add('POST', '/accounts/:accountId/freeze', commandRoute(accountCommand(emptyBody, () => ({ type: 'Freeze' }))));
  router.add('POST', '/accounts/:accountId/unfreeze', commandRoute(accountCommand(emptyBody, () => ({ type: 'Unfreeze' }))));
  router.add('POST', '/accounts/:accountId/close', commandRoute(accountCommand(emptyBody, () => ({ type: 'Close' }))));

  router.add('POST', '/transfers', commandRoute({
    kind: 'command',
    body: transferBody,
    async precheck(context, body) {
      if (body.from === body.to) throw new ApiError(400, 'VALIDATION_FAILED', 'from and to must be different accounts');
      for (const id of [body.from, body.to]) {
        if (!(await accountExists(context, id))) throw rejection('ACCOUNT_NOT_FOUND', `account ${id} does not exist`, { accountId: id });
      }
    },
    plan: () => ({ transferId: randomUUID() }),
    async run(context, body, plan) {
      const transferId = plan.transferId!;
      const { services } = context;
      const requested = await services.bus.execute('transfer', transferStream(transferId), { type: 'Request', ...body }, { metadata: context.metadata });
      // A first attempt knows the state it created; a retried one reads where the transfer got to.
      const state =
        requested.events.length > 0
          ? await services.driver.settleRequested(transferId, { status: 'requested', ...body }, context.metadata.correlationId)
          : await services.driver.settle(transferId, requested.nextExpectedVersion, context.metadata.correlationId);
      const answer: Record<string, unknown> = { transferId, status: state.status, from: body.from, to: body.to, amount: body.amount };
      if (state.reason !== undefined) answer.reason = state.reason;
      return { status: 201, body: answer, headers: { location: `/transfers/${transferId}` } };
    },
  } satisfies CommandRoute<{ from: string; to: string; amount: number }>));
}
