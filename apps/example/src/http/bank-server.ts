import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual, createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ExpectedVersion } from '@strata/core';
import type { Monitor } from '@strata/monitoring';
import { ApiError } from '../errors/api-error.js';
import { IdempotencyStore, type StoredResponse } from '../idempotency/idempotency-store.js';
import { addCommandRoutes } from './command-routes.js';
import { errorAnswer } from './error-response.js';
import { addQueryRoutes } from './query-routes.js';
import { readJsonBody } from './read-json-body.js';
import type { BankRoute, BankServices, CommandRoute, RouteContext } from './route-types.js';
import { Router } from './router.js';

/** Options of {@link BankServer}. */
export type BankServerOptions = {
  services: BankServices;
  idempotency: IdempotencyStore;
  monitor: Monitor;
  /** The bearer token commands must carry. */
  token: string;
  maxBodyBytes: number;
};

const MONITOR_PATHS = new Set(['/metrics', '/metrics.json', '/dashboard', '/events', '/snapshot', '/alerts']);
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const IF_MATCH = /^(?:W\/)?"(\d{1,15})"$/;

/**
 * The bank's HTTP API on `node:http`: routing, the bearer token, Idempotency-Key, If-Match,
 * body limits and validation, and one error shape. Every failure is answered as
 * `{ error: { code, message } }`; nothing a client sends can throw past the request handler.
 */
export class BankServer {
  readonly #options: BankServerOptions;
  readonly #router = new Router<BankRoute>();
  readonly #server: Server;
  readonly #token: Buffer;
  readonly #requests;
  readonly #latency;
  #inFlight = 0;
  #drained: (() => void) | undefined;
  #closing = false;

  constructor(options: BankServerOptions) {
    this.#options = options;
    this.#token = createHash('sha256').update(options.token).digest();
    addCommandRoutes(this.#router);
    addQueryRoutes(this.#router);
    const metrics = options.monitor.metrics;
    this.#requests = metrics.counter({ name: 'bank_http_requests_total', help: 'HTTP requests by route and status.', labelNames: ['route', 'status'] });
    this.#latency = metrics.histogram({ name: 'bank_http_request_duration_seconds', help: 'HTTP request latency.', labelNames: ['route'] });
    this.#server = createServer(
      { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, maxHeaderSize: 16 * 1024 },
      (request, response) => void this.#handle(request, response),
    );
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'malformed HTTP request' } });
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    });
  }

  /** Starts listening; resolves with the bound address. */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting connections and waits for the requests in flight (at most `timeoutMs`). */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    if (this.#inFlight > 0) {
      await Promise.race([new Promise<void>((resolve) => (this.#drained = resolve)), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    }
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    this.#inFlight++;
    let route = 'unmatched';
    let status = 500;
    request.on('error', () => undefined);
    try {
      const url = new URL(request.url ?? '/', 'http://bank.invalid');
      if (MONITOR_PATHS.has(url.pathname) && (request.method === 'GET' || request.method === 'HEAD')) {
        route = url.pathname;
        status = 200;
        if (this.#options.monitor.handler(request, response)) return;
      }
      if (this.#closing) {
        response.setHeader('connection', 'close');
        throw new ApiError(503, 'SHUTTING_DOWN', 'the service is shutting down');
      }
      const match = this.#router.match(request.method ?? 'GET', url.pathname);
      route = match.route;
      const correlationId = correlationOf(request);
      response.setHeader('x-correlation-id', correlationId);
      const context: RouteContext = { request, url, params: match.params, services: this.#options.services, metadata: { node: this.#options.services.nodeId, correlationId } };
      const answer = match.handler.kind === 'command' ? await this.#command(match.handler, context) : await match.handler.run(context);
      status = answer.status;
      this.#send(request, response, answer);
    } catch (error) {
      const answer = errorAnswer(error, { ifMatch: request.headers['if-match'] !== undefined });
      status = answer.status;
      if (status === 500) console.error(`${request.method} ${route}:`, error);
      // A refused body may be partly unread: the connection cannot carry another request.
      if (status === 413 || status === 415) response.setHeader('connection', 'close');
      this.#send(request, response, { status, body: { error: { code: answer.code, message: answer.message } } });
    } finally {
      this.#requests.labels(route, String(status)).inc();
      this.#latency.labels(route).observe(performance.now() - started);
      if (--this.#inFlight === 0 && this.#drained !== undefined) this.#drained();
    }
  }

  async #command(route: CommandRoute<unknown>, context: RouteContext): Promise<StoredResponse> {
    const { request } = context;
    this.#authenticate(request);
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
      throw new ApiError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'commands need an Idempotency-Key header of 1-255 printable ASCII characters');
    }
    const ifMatch = request.headers['if-match'];
    if (ifMatch !== undefined) context.expectedVersion = parseIfMatch(ifMatch);
    const raw = await readJsonBody(request, this.#options.maxBodyBytes);
    const body = route.body(raw);
    context.metadata.idempotencyKey = key;
    const fingerprint = IdempotencyStore.fingerprint(request.method ?? 'POST', context.url.pathname, { body, ifMatch: ifMatch ?? null });
    const idempotency = this.#options.idempotency;
    // Checks that store nothing come first; then the key is claimed in one append (a key seen
    // before makes that append fail, and the earlier attempt is followed instead).
    await route.precheck?.(context, body);
    const claim = await idempotency.claim(key, fingerprint, route.plan());
    if (claim.kind === 'replay') return replayed(claim.response);
    let answer: StoredResponse;
    try {
      answer = await route.run(context, body, claim.plan, claim.kind === 'resume');
    } catch (error) {
      const refused = errorAnswer(error, { ifMatch: ifMatch !== undefined });
      // Refusals are answers too: a retry gets the same one. Failures (5xx) are not, so a retry runs again.
      if (refused.status >= 500 || refused.code === 'CONCURRENCY_CONFLICT') throw error;
      answer = { status: refused.status, body: { error: { code: refused.code, message: refused.message } } };
    }
    return idempotency.complete(key, answer);
  }

  #authenticate(request: IncomingMessage): void {
    const header = request.headers.authorization;
    if (header === undefined) throw new ApiError(401, 'UNAUTHORIZED', 'commands need an Authorization: Bearer <token> header');
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    if (match === null || !timingSafeEqual(given, this.#token)) throw new ApiError(401, 'INVALID_TOKEN', 'the bearer token is not valid');
  }

  #send(request: IncomingMessage, response: ServerResponse, answer: StoredResponse): void {
    if (response.headersSent) {
      response.end();
      return;
    }
    const payload = JSON.stringify(answer.body);
    const etag = answer.headers?.etag;
    if (etag !== undefined && request.method === 'GET' && request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), 'cache-control': 'no-store' };
    if (answer.status === 401) headers['www-authenticate'] = 'Bearer';
    for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name] = value;
    response.writeHead(answer.status, headers);
    response.end(request.method === 'HEAD' ? undefined : payload);
  }
}

function parseIfMatch(header: string): ExpectedVersion {
  const match = IF_MATCH.exec(header.trim());
  if (match === null) throw new ApiError(400, 'INVALID_IF_MATCH', 'If-Match must be an ETag this API returned, like "3"');
  return Number(match[1]);
}

function replayed(response: StoredResponse): StoredResponse {
  return { ...response, headers: { ...response.headers, 'idempotent-replayed': 'true' } };
}

/** Printable ASCII without spaces, as the command pipeline accepts for ids. */
const CORRELATION_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * The conversation a request belongs to: the caller's `X-Correlation-Id` when it is a valid id,
 * else a fresh one. It travels into the command's context, so every event the request causes
 * (also those of the transfer steps it drives) carries it, and the history view shows it.
 */
function correlationOf(request: IncomingMessage): string {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
}
