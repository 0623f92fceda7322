import { Agent, request } from 'node:http';

/** An HTTP answer. */
export type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: unknown; text: string };

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Sends one request; rejects on connection errors (a killed app). */
export function send(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: options.headers, timeout: options.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A bank client with the bearer token. */
export class BankClient {
  constructor(
    public base: string,
    private readonly token: string,
  ) {}

  command(path: string, key: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return send(this.base, 'POST', path, {
      headers: { authorization: `Bearer ${this.token}`, 'idempotency-key': key, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return send(this.base, 'GET', path, { headers });
  }
}
