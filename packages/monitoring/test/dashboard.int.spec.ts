import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor } from '../src/index.js';
import { CHROMIUM_ARGS, findChromium } from './support/find-chromium.js';
import { publishLoad } from './support/synthetic-load.js';

/** The little of the DOM these page functions touch (this Node project has no DOM types). */
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  querySelector(selector: string): { textContent: string | null } | null;
};

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const INTERVAL_MS = 250;
const PREFILL_SAMPLES = 120;
const SLOW_ALERT = 'Command latency p99';

describe('dashboard in headless Chromium', () => {
  let monitor: Monitor;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  let userDataDir: string;
  let url: string;
  let load: NodeJS.Timeout | undefined;
  let slow = false;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    // The clock starts in the past so that a prefilled history ends now and the charts are full
    // in the screenshot; then it runs in real time.
    let offset = -PREFILL_SAMPLES * INTERVAL_MS;
    profileDir = await mkdtemp(join(tmpdir(), 'strata-dashboard-profiles-'));
    monitor = createMonitor({
      title: 'Example bank',
      intervalMs: INTERVAL_MS,
      historySize: 600,
      logger: false,
      clock: () => Date.now() + offset,
      profiling: { endpoint: true, dir: profileDir },
      alerts: [
        { name: SLOW_ALERT, when: 'p99(strata_command_duration_seconds{aggregate="account"}) > 20ms', clearThreshold: 15, severity: 'critical', summary: 'commands slower than 20 ms' },
        { name: 'Pool saturated', when: 'strata_pool_waiting_requests > 50 for 10s' },
      ],
    });
    for (let i = 0; i < PREFILL_SAMPLES; i++) {
      publishLoad({ t: (i * INTERVAL_MS) / 1000, fraction: INTERVAL_MS / 1000 });
      // A pause, so the event loop is not busy the whole time, as it would not be in production.
      await new Promise((resolve) => setTimeout(resolve, 8));
      offset += INTERVAL_MS;
      monitor.sample();
    }
    offset = 0;
    const started = Date.now();
    const prefilled = (PREFILL_SAMPLES * INTERVAL_MS) / 1000;
    load = setInterval(() => publishLoad({ t: prefilled + (Date.now() - started) / 1000, fraction: 0.05, slowCommands: slow }), 50);
    ({ url } = await monitor.listen({ port: 0 }));

    userDataDir = await mkdtemp(join(tmpdir(), 'strata-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: findChromium(),
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1440, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') browserErrors.push(message.text());
    });
  });

  afterAll(async () => {
    if (load !== undefined) clearInterval(load);
    await context?.close();
    await monitor?.close();
    await rm(userDataDir, { recursive: true, force: true });
    await rm(profileDir, { recursive: true, force: true });
  });

  const samplesShown = async (): Promise<number> => Number(await page.locator('body').getAttribute('data-samples'));
  // Functions, not strings: the page's Content-Security-Policy forbids eval.
  const waitForSamples = (n: number): Promise<unknown> => page.waitForFunction((min) => Number(document.body.dataset['samples']) >= min, n);

  it('loads, draws every chart from the history and keeps updating', async () => {
    await page.goto(`${url}/dashboard`);
    await waitForSamples(PREFILL_SAMPLES);

    for (const chart of ['throughput', 'append-latency', 'command-latency', 'cache', 'pools', 'projections', 'batches', 'processor', 'queries', 'event-loop', 'cpu', 'memory']) {
      expect(await page.locator(`[data-chart="${chart}"] path.series`).count(), chart).toBeGreaterThan(0);
    }
    expect(await page.locator('[data-chart="cache"] .legend .item').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('accounts · l1'), expect.stringContaining('accounts · l3')]),
    );
    expect(await page.locator('[data-chart="pools"] .badge').allTextContents()).toContain('closed');
    expect(await page.locator('[data-kpi="events"] .value').textContent()).not.toBe('–');

    const read = async (): Promise<{ path: string | null; samples: number; uptime: string | null }> => ({
      path: await page.locator('[data-chart="throughput"] path.series').first().getAttribute('d'),
      samples: await samplesShown(),
      uptime: await page.locator('#uptime').textContent(),
    });
    const first = await read();
    await waitForSamples(first.samples + 4);
    const second = await read();
    expect(second.samples).toBeGreaterThan(first.samples);
    expect(second.path).not.toBe(first.path);
    expect(await page.locator('#conn').textContent()).toBe('live');
  });

  it('shows an alert raised in the process, and the screenshot is saved', async () => {
    expect(await page.locator('.all-clear').count()).toBe(1);
    slow = true;
    monitor.raiseAlert('Disk space low', { severity: 'warning', summary: 'data volume 91% full' });
    const alert = page.locator(`[data-alert="${SLOW_ALERT}"]`);
    await alert.waitFor();
    expect(await alert.textContent()).toContain('commands slower than 20 ms');
    expect(await page.locator('[data-alert="Disk space low"]').count()).toBe(1);
    expect(monitor.alerts().map((a) => a.name)).toContain(SLOW_ALERT);
    await page.waitForFunction(() => document.querySelector('[data-kpi="alerts"] .value')?.textContent === '2');

    // Let the latency charts pick up the slow commands before the picture is taken.
    await waitForSamples((await samplesShown()) + 6);
    await mkdir(ARTIFACTS, { recursive: true });
    const screenshot = join(ARTIFACTS, 'monitoring-dashboard.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`dashboard screenshot: ${screenshot}`);
    expect(browserErrors).toEqual([]);
  });
});
