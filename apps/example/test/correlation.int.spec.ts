import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLmdbEventStore } from '@strata/store-lmdb';
import { collect, eventually } from '@strata/testing';
import { BankClient } from './support/bank-client.js';
import { startBankProcess, type BankProcess } from './support/bank-process.js';

const TOKEN = 'correlation-token-0123456789abcdef';
let dir: string;
let app: BankProcess;
let bank: BankClient;
let key = 0;
const nextKey = (): string => `correlation-${key++}`;

type Line = { kind: string; correlationId?: string; transferId?: string };

async function history(accountId: string): Promise<Line[]> {
  return ((await bank.get(`/accounts/${accountId}/transactions?limit=100`)).body as { items: Line[] }).items;
}

async function open(owner: string): Promise<string> {
  return ((await bank.command('/accounts', nextKey(), { owner })).body as { accountId: string }).accountId;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-bank-correlation-'));
  app = await startBankProcess({ DATA_DIR: dir, STRATA_TOKEN: TOKEN, DURABILITY: 'none' });
  bank = new BankClient(app.url, TOKEN);
});

afterAll(async () => {
  await app?.kill();
  await rm(dir, { recursive: true, force: true });
});

describe('one request followed end to end', () => {
  it("carries the request's correlation id through the command pipeline into the events and the history view", async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    const deposit = await bank.command(`/accounts/${alice}/deposits`, nextKey(), { amount: 1_000 }, { 'x-correlation-id': 'req-deposit-1' });
    expect(deposit.status).toBe(200);
    expect(deposit.headers['x-correlation-id']).toBe('req-deposit-1');
    const transfer = await bank.command('/transfers', nextKey(), { from: alice, to: bob, amount: 300 }, { 'x-correlation-id': 'req-transfer-1' });
    expect(transfer.status, transfer.text).toBe(201);
    const transferId = (transfer.body as { transferId: string }).transferId;

    // The projection applies asynchronously: wait until both sides of the transfer are visible.
    await eventually(async () => (await history(bob)).some((line) => line.transferId === transferId));
    // Newest first.
    expect((await history(alice)).map((line) => [line.kind, line.correlationId])).toEqual([
      ['transfer-out', 'req-transfer-1'],
      ['deposit', 'req-deposit-1'],
    ]);
    expect((await history(bob)).map((line) => [line.kind, line.correlationId])).toEqual([['transfer-in', 'req-transfer-1']]);

    // In the store: the pipeline's correlation and causation ids and the bank plugin's audit fields.
    const store = await createLmdbEventStore({ path: join(dir, 'events'), durability: 'none' });
    try {
      const events = await collect(store.readStream(`account-${alice}`));
      const depositEvent = events.find((event) => event.type === 'MoneyDeposited')!;
      expect(depositEvent.metadata).toMatchObject({ correlationId: 'req-deposit-1', command: 'Deposit', actor: expect.stringMatching(/^api@/) });
      expect(typeof depositEvent.metadata.causationId).toBe('string');
      expect(depositEvent.metadata.causationId).not.toBe('req-deposit-1');
      const debit = events.find((event) => event.type === 'TransferDebited')!;
      expect(debit.metadata).toMatchObject({ correlationId: 'req-transfer-1' });
    } finally {
      await store.close();
    }
  });

  it('makes up a correlation id when the caller sends none or an invalid one', async () => {
    const carol = await open('carol');
    for (const headers of [{}, { 'x-correlation-id': 'has spaces in it' }] as Record<string, string>[]) {
      const answer = await bank.command(`/accounts/${carol}/deposits`, nextKey(), { amount: 5 }, headers);
      expect(answer.status).toBe(200);
      expect(answer.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
