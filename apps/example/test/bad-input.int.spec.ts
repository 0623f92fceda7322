import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankClient, send, type Answer } from './support/bank-client.js';
import { startBankProcess, type BankProcess } from './support/bank-process.js';

const TOKEN = 'bad-input-token-0123456789abcdef';
let dir: string;
let app: BankProcess;
let bank: BankClient;
let accountId: string;
let otherId: string;
let key = 0;

const auth = { authorization: `Bearer ${TOKEN}` };
const json = { 'content-type': 'application/json' };
const nextKey = (): string => `bad-input-${key++}`;

function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
}

async function head(): Promise<number> {
  return ((await bank.get('/health')).body as { headPosition: number }).headPosition;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-bank-bad-input-'));
  app = await startBankProcess({ DATA_DIR: dir, STRATA_TOKEN: TOKEN, DURABILITY: 'none', MAX_BODY_BYTES: '4096' });
  bank = new BankClient(app.url, TOKEN);
  accountId = ((await bank.command('/accounts', nextKey(), { owner: 'ada' })).body as { accountId: string }).accountId;
  otherId = ((await bank.command('/accounts', nextKey(), { owner: 'bob' })).body as { accountId: string }).accountId;
  expect((await bank.command(`/accounts/${accountId}/deposits`, nextKey(), { amount: 500 })).status).toBe(200);
});

afterAll(async () => {
  await app?.kill();
  await rm(dir, { recursive: true, force: true });
});

describe('bad input is answered 4xx with a JSON error, stores nothing, and the app keeps serving', () => {
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> =>
    send(app.url, 'POST', path, { headers: { ...auth, ...json, 'idempotency-key': nextKey(), ...headers }, body });

  const cases: [string, () => Promise<Answer>, number, string][] = [
    ['malformed JSON', () => post('/accounts', '{"owner": "ada"'), 400, 'MALFORMED_JSON'],
    ['invalid UTF-8', () => post('/accounts', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, 'MALFORMED_JSON'],
    ['a JSON array body', () => post('/accounts', '[1,2]'), 400, 'VALIDATION_FAILED'],
    ['a JSON string body', () => post('/accounts', '"ada"'), 400, 'VALIDATION_FAILED'],
    ['null body', () => post('/accounts', 'null'), 400, 'VALIDATION_FAILED'],
    ['wrong type: amount as string', () => post(`/accounts/${accountId}/deposits`, '{"amount":"100"}'), 400, 'VALIDATION_FAILED'],
    ['wrong type: fractional amount', () => post(`/accounts/${accountId}/deposits`, '{"amount":1.5}'), 400, 'VALIDATION_FAILED'],
    ['negative amount', () => post(`/accounts/${accountId}/withdrawals`, '{"amount":-100}'), 400, 'VALIDATION_FAILED'],
    ['zero amount', () => post(`/accounts/${accountId}/deposits`, '{"amount":0}'), 400, 'VALIDATION_FAILED'],
    ['unsafe integer amount', () => post(`/accounts/${accountId}/deposits`, '{"amount":9007199254740993}'), 400, 'VALIDATION_FAILED'],
    ['huge exponent amount', () => post(`/accounts/${accountId}/deposits`, '{"amount":1e308}'), 400, 'VALIDATION_FAILED'],
    ['missing property', () => post('/transfers', JSON.stringify({ from: accountId, amount: 5 })), 400, 'VALIDATION_FAILED'],
    ['unknown property', () => post(`/accounts/${accountId}/deposits`, '{"amount":5,"note":"x"}'), 400, 'VALIDATION_FAILED'],
    ['__proto__ payload', () => post('/accounts', '{"owner":"ada","__proto__":{"isAdmin":true}}'), 400, 'VALIDATION_FAILED'],
    ['nested __proto__ payload', () => post(`/accounts/${accountId}/deposits`, '{"__proto__":{"amount":5},"amount":5}'), 400, 'VALIDATION_FAILED'],
    ['constructor.prototype payload', () => post('/accounts', '{"owner":"ada","constructor":{"prototype":{"polluted":1}}}'), 400, 'VALIDATION_FAILED'],
    ['SQL-looking owner', () => post('/accounts', JSON.stringify({ owner: "ada'); DROP TABLE events; --" })), 400, 'VALIDATION_FAILED'],
    ['SQL-looking account id', () => post('/transfers', JSON.stringify({ from: "1' OR '1'='1", to: otherId, amount: 5 })), 400, 'VALIDATION_FAILED'],
    ['transfer to the same account', () => post('/transfers', JSON.stringify({ from: accountId, to: accountId, amount: 5 })), 400, 'VALIDATION_FAILED'],
    ['transfer from an unknown account', () => post('/transfers', JSON.stringify({ from: 'no-such-account', to: otherId, amount: 5 })), 404, 'ACCOUNT_NOT_FOUND'],
    ['huge body', () => post('/accounts', JSON.stringify({ owner: 'x'.repeat(1_000_000) })), 413, 'PAYLOAD_TOO_LARGE'],
    ['wrong content type', () => post('/accounts', 'owner=ada', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['text/plain JSON', () => post('/accounts', '{"owner":"ada"}', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['missing token', () => send(app.url, 'POST', '/accounts', { headers: { ...json, 'idempotency-key': nextKey() }, body: '{"owner":"ada"}' }), 401, 'UNAUTHORIZED'],
    ['invalid token', () => post('/accounts', '{"owner":"ada"}', { authorization: 'Bearer not-the-token-at-all' }), 401, 'INVALID_TOKEN'],
    ['a Basic authorization', () => post('/accounts', '{"owner":"ada"}', { authorization: 'Basic YWRhOmFkYQ==' }), 401, 'INVALID_TOKEN'],
    ['missing Idempotency-Key', () => send(app.url, 'POST', '/accounts', { headers: { ...auth, ...json }, body: '{"owner":"ada"}' }), 400, 'IDEMPOTENCY_KEY_REQUIRED'],
    ['malformed If-Match', () => post(`/accounts/${accountId}/deposits`, '{"amount":5}', { 'if-match': 'yesterday' }), 400, 'INVALID_IF_MATCH'],
    ['unknown route', () => bank.get('/admin/users'), 404, 'NOT_FOUND'],
    ['path traversal', () => bank.get('/accounts/..%2f..%2fetc%2fpasswd'), 404, 'NOT_FOUND'],
    ['SQL-looking path id', () => bank.get("/accounts/1'%20OR%20'1'='1"), 404, 'NOT_FOUND'],
    ['wrong method', () => send(app.url, 'DELETE', `/accounts/${accountId}`), 405, 'METHOD_NOT_ALLOWED'],
    ['unknown query parameter', () => bank.get('/balances?min=1&drop=table'), 400, 'VALIDATION_FAILED'],
    ['non-integer range bound', () => bank.get('/balances?min=abc'), 400, 'VALIDATION_FAILED'],
    ['forged cursor', () => bank.get(`/accounts/${accountId}/transactions?cursor=eyJ4IjoxfQ`), 400, 'INVALID_CURSOR'],
    ['SQL-looking owner query', () => bank.get(`/accounts?owner=${encodeURIComponent("x' OR 1=1 --")}`), 400, 'VALIDATION_FAILED'],
  ];

  for (const [name, run, status, code] of cases) {
    it(name, async () => {
      const before = await head();
      expectError(await run(), status, code);
      expect(await head()).toBe(before);
      expect((await bank.get('/health')).status).toBe(200);
    });
  }

  it('a request line the HTTP parser refuses', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(app.url).port), '127.0.0.1', () => socket.write('GARBAGE / HTTP/9.9\r\n\r\n'));
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toContain('"code":"BAD_REQUEST"');
    expect((await bank.get('/health')).status).toBe(200);
  });

  it('a refused domain rule is a 409 whose answer is kept for the key', async () => {
    const k = nextKey();
    const first = await bank.command(`/accounts/${accountId}/withdrawals`, k, { amount: 1_000_000 });
    expectError(first, 409, 'INSUFFICIENT_FUNDS');
    const again = await bank.command(`/accounts/${accountId}/withdrawals`, k, { amount: 1_000_000 });
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('a key reused for another request is refused', async () => {
    const k = nextKey();
    expect((await bank.command(`/accounts/${accountId}/deposits`, k, { amount: 5 })).status).toBe(200);
    expectError(await bank.command(`/accounts/${accountId}/deposits`, k, { amount: 6 }), 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('If-Match with a stale version is a 412 and changes nothing; the current ETag works', async () => {
    const current = await bank.get(`/accounts/${accountId}`);
    const etag = current.headers.etag as string;
    expect(etag).toMatch(/^"\d+"$/);
    const stale = `"${Number(etag.slice(1, -1)) - 1}"`;
    expectError(await bank.command(`/accounts/${accountId}/deposits`, nextKey(), { amount: 7 }, { 'if-match': stale }), 412, 'PRECONDITION_FAILED');
    expect((await bank.get(`/accounts/${accountId}`)).body).toEqual(current.body);
    const ok = await bank.command(`/accounts/${accountId}/deposits`, nextKey(), { amount: 7 }, { 'if-match': etag });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe(`"${Number(etag.slice(1, -1)) + 1}"`);
    const notModified = await bank.get(`/accounts/${accountId}`, { 'if-none-match': ok.headers.etag as string });
    expect(notModified.status).toBe(304);
  });

  it('prototype pollution payloads did not reach any object', async () => {
    const answer = await bank.get(`/accounts/${accountId}`);
    expect((answer.body as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(app.child.exitCode).toBeNull();
  });
});
