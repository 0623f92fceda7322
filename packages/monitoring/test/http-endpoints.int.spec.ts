import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor, type MonitorSnapshot } from '../src/index.js';
import { SseParser } from '../src/top/sse-parser.js';

/** Reads server-sent events from `url` until `count` have arrived. */
function readEvents(url: string, count: number): Promise<Array<{ event: string; data: string }>> {
  return new Promise((resolve, reject) => {
    const parser = new SseParser();
    const events: Array<{ event: string; data: string }> = [];
    const request = get(url, (response) => {
      expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        events.push(...parser.push(chunk));
        if (events.length >= count) {
          request.destroy();
          resolve(events);
        }
      });
    });
    request.on('error', reject);
  });
}

describe('HTTP endpoints', () => {
  let monitor: Monitor | undefined;
  let app: Server | undefined;
  afterEach(async () => {
    await monitor?.close();
    await new Promise((resolve) => (app === undefined ? resolve(undefined) : app.close(resolve)));
    app = undefined;
  });

  it('serves JSON snapshots, metrics JSON, alerts and the dashboard when listening on its own', async () => {
    monitor = createMonitor({ logger: false, title: 'Test <app>', alerts: [{ name: 'never', when: 'strata_pool_waiting_requests > 1e9' }] });
    const { url, port, host } = await monitor.listen({ port: 0 });
    expect(host).toBe('127.0.0.1');
    expect(url).toBe(`http://127.0.0.1:${port}`);

    const snapshot = (await (await fetch(`${url}/snapshot`)).json()) as MonitorSnapshot;
    expect(snapshot.version).toBe(1);
    expect(snapshot.title).toBe('Test <app>');
    expect(snapshot.runtime?.rssBytes).toBeGreaterThan(0);

    const metrics = (await (await fetch(`${url}/metrics.json`)).json()) as { metrics: Array<{ name: string }> };
    expect(metrics.metrics.map((m) => m.name)).toContain('strata_store_appends_total');

    const alerts = (await (await fetch(`${url}/alerts`)).json()) as { active: unknown[]; rules: Array<{ name: string; condition: string }> };
    expect(alerts.active).toEqual([]);
    expect(alerts.rules).toEqual([expect.objectContaining({ name: 'never', condition: 'strata_pool_waiting_requests > 1000000000' })]);

    const page = await fetch(`${url}/dashboard`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<h1 id="title">Test &lt;app&gt;</h1>');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);

    const root = await fetch(`${url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard');
    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await fetch(`${url}/metrics`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${url}/profile/cpu`, { method: 'POST' })).status).toBe(404); // profiling endpoint is off by default
  });

  it('streams the history, then one snapshot per interval', async () => {
    monitor = createMonitor({ logger: false, intervalMs: 50 });
    monitor.sample();
    const { url } = await monitor.listen({ port: 0 });
    const events = await readEvents(`${url}/events`, 3);
    expect(events[0]?.event).toBe('history');
    expect((JSON.parse(events[0]?.data ?? '[]') as unknown[]).length).toBeGreaterThanOrEqual(1);
    expect(events.slice(1).map((e) => e.event)).toEqual(['snapshot', 'snapshot']);
    const [a, b] = events.slice(1).map((e) => JSON.parse(e.data) as MonitorSnapshot);
    expect(b!.time).toBeGreaterThan(a!.time);
  });

  it('mounts under a base path in an application server and leaves other requests alone', async () => {
    monitor = createMonitor({ logger: false, basePath: '/monitor' });
    const handler = monitor.handler;
    app = createServer((req, res) => {
      if (handler(req, res)) return;
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`app:${req.url ?? ''}`);
    });
    await new Promise<void>((resolve) => app!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    expect(await (await fetch(`${base}/accounts/42`)).text()).toBe('app:/accounts/42');
    expect(await (await fetch(`${base}/metrics`)).text()).toBe('app:/metrics');
    expect(await (await fetch(`${base}/monitorx/metrics`)).text()).toBe('app:/monitorx/metrics');
    expect(await (await fetch(`${base}/monitor/metrics`)).text()).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
    const root = await fetch(`${base}/monitor`, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/monitor/dashboard');
    expect((await fetch(`${base}/monitor/dashboard?x=1`)).status).toBe(200);

    await monitor.close();
    expect(await (await fetch(`${base}/monitor/metrics`)).text()).toBe('app:/monitor/metrics');
  });

  it('closes its server and event streams on close()', async () => {
    monitor = createMonitor({ logger: false, intervalMs: 50 });
    const { url } = await monitor.listen({ port: 0 });
    const ended = new Promise<void>((resolve) => {
      get(`${url}/events`, (response) => {
        response.resume();
        response.on('end', resolve);
        response.on('close', resolve);
        void monitor!.close();
      });
    });
    await ended;
    await expect(fetch(`${url}/metrics`)).rejects.toThrow();
    expect(monitor.closed).toBe(true);
  });
});
