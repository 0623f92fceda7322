import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { isStrataError } from '@strata/core';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus-text.js';
import type { ProfileKind, ProfileResult } from '../profiling/profiler.js';
import type { SseHub } from './sse-hub.js';

/** A request handler for node:http (and anything exposing its request and response). */
export type MonitorRequestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** What the HTTP endpoints serve; implemented by the monitor. */
export interface MonitorEndpoints {
  readonly basePath: string;
  readonly profilingEndpoint: boolean;
  readonly sse: SseHub;
  dashboard(): { html: string; contentSecurityPolicy: string };
  isClosed(): boolean;
  prometheus(): string;
  /** JSON text of the registry. */
  metricsJson(): string;
  /** JSON text of the latest snapshot. */
  snapshotJson(): string;
  /** JSON text of the snapshot history (oldest first). */
  historyJson(): string;
  /** JSON text of active alerts, recently resolved alerts and rules. */
  alertsJson(): string;
  profile(kind: ProfileKind, durationMs: number): Promise<ProfileResult>;
}

const PROFILE_KINDS: Record<string, ProfileKind> = {
  '/profile/cpu': 'cpu',
  '/profile/heap-sampling': 'heap-sampling',
  '/profile/heap-snapshot': 'heap-snapshot',
};
const DEFAULT_PROFILE_SECONDS = 10;

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(head ? undefined : body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify({ error: { code, message } }), false, headers);
}

function statusOf(error: unknown): number {
  if (isStrataError(error, 'INVALID_ARGUMENT')) return 400;
  if (isStrataError(error, 'OVERLOADED')) return 409;
  if (isStrataError(error, 'STORE_CLOSED')) return 503;
  return 500;
}

/**
 * Routes requests under the base path to the monitor's endpoints and returns `true` when it
 * handled one; other requests are left untouched for the application (`false`). The decision is
 * synchronous, so the handler can sit in front of an application's router.
 */
export function createMonitorHandler(endpoints: MonitorEndpoints): MonitorRequestHandler {
  const base = endpoints.basePath;
  return (req, res) => {
    const url = req.url ?? '/';
    if (base !== '' && !url.startsWith(base)) return false;
    if (endpoints.isClosed()) return false;
    const query = url.indexOf('?');
    const path = (query === -1 ? url : url.slice(0, query)).slice(base.length) || '/';
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    const get = method === 'GET' || head;
    const json = 'application/json; charset=utf-8';

    const kind = PROFILE_KINDS[path];
    if (kind !== undefined) {
      if (!endpoints.profilingEndpoint) return false;
      if (method !== 'POST') {
        sendError(res, 405, 'METHOD_NOT_ALLOWED', 'profiles are captured with POST', { Allow: 'POST' });
        return true;
      }
      void serveProfile(endpoints, kind, new URLSearchParams(query === -1 ? '' : url.slice(query + 1)), res);
      return true;
    }

    let body: (() => string) | undefined;
    let contentType = json;
    let headers: Record<string, string> = {};
    switch (path) {
      case '/metrics':
        body = () => endpoints.prometheus();
        contentType = PROMETHEUS_CONTENT_TYPE;
        break;
      case '/metrics.json':
        body = () => endpoints.metricsJson();
        break;
      case '/snapshot':
        body = () => endpoints.snapshotJson();
        break;
      case '/alerts':
        body = () => endpoints.alertsJson();
        break;
      case '/dashboard':
        body = () => endpoints.dashboard().html;
        contentType = 'text/html; charset=utf-8';
        headers = { 'Content-Security-Policy': endpoints.dashboard().contentSecurityPolicy, 'X-Content-Type-Options': 'nosniff' };
        break;
      case '/events':
        if (!get) break;
        endpoints.sse.open(req, res, [['history', endpoints.historyJson()]]);
        return true;
      case '/':
        if (base === '') return false;
        res.writeHead(302, { Location: `${base}/dashboard` });
        res.end();
        return true;
      default:
        return false;
    }
    if (!get) {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${path} answers GET`, { Allow: 'GET, HEAD' });
      return true;
    }
    if (body === undefined) return false;
    send(res, 200, contentType, body(), head, headers);
    return true;
  };
}

async function serveProfile(endpoints: MonitorEndpoints, kind: ProfileKind, params: URLSearchParams, res: ServerResponse): Promise<void> {
  const seconds = params.get('seconds');
  const durationMs = seconds === null ? DEFAULT_PROFILE_SECONDS * 1000 : Number(seconds) * 1000;
  let result: ProfileResult;
  try {
    result = await endpoints.profile(kind, durationMs);
  } catch (error) {
    const code = isStrataError(error) ? error.code : 'PROFILE_FAILED';
    sendError(res, statusOf(error), code, error instanceof Error ? error.message : String(error));
    return;
  }
  if (params.get('download') === '0') {
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify(result), false);
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': result.bytes,
    'Content-Disposition': `attachment; filename="${basename(result.path)}"`,
    'X-Profile-Path': encodeURI(result.path),
    'Cache-Control': 'no-store',
  });
  createReadStream(result.path)
    .on('error', () => res.destroy())
    .pipe(res);
}
