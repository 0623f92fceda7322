import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor } from '../src/index.js';
import { publishLoad } from './support/synthetic-load.js';

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const found = families.find((f) => f.name === name);
  if (found === undefined) throw new Error(`metric ${name} is missing from the exposition`);
  return found;
}

describe('/metrics exposition', () => {
  let monitor: Monitor | undefined;
  afterEach(async () => {
    await monitor?.close();
  });

  it('parses as Prometheus text format with every framework and runtime family', async () => {
    let now = 1_000_000;
    monitor = createMonitor({ logger: false, clock: () => now, intervalMs: 3_600_000 });
    for (let t = 0; t < 5; t++) {
      publishLoad({ t, fraction: 1 });
      now += 1000;
      monitor.sample();
    }
    const { url } = await monitor.listen({ port: 0 });
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheusTextFormat(await response.text());

    const names = families.map((f) => f.name);
    for (const expected of [
      'strata_store_appends_total', 'strata_store_append_duration_seconds', 'strata_commands_total', 'strata_command_duration_seconds',
      'strata_cache_requests_total', 'strata_cache_hit_ratio', 'strata_pool_connections', 'strata_breaker_state', 'strata_batch_size',
      'strata_projection_lag_events', 'strata_queries_total', 'strata_processor_queue_depth', 'strata_processor_utilisation_ratio',
      'process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_active_resources_total',
    ]) {
      expect(names).toContain(expected);
    }
    expect(new Set(names).size).toBe(names.length);
    expect(family(families, 'strata_store_appends_total').type).toBe('COUNTER');
    expect(family(families, 'strata_store_append_duration_seconds').type).toBe('SUMMARY');
    expect(family(families, 'strata_pool_connections').type).toBe('GAUGE');
    const breaker = family(families, 'strata_breaker_state').metrics.find((m) => m.labels?.['pool'] === 'postgres' && m.labels['state'] === 'closed');
    expect(breaker?.value).toBe('1');
  });

  it('reports summary quantiles in seconds, with _sum and _count', () => {
    let now = 0;
    monitor = createMonitor({ logger: false, clock: () => now, intervalMs: 3_600_000, runtime: false, channels: false });
    const latency = monitor.metrics.histogram({ name: 'app_request_duration_seconds', help: 'Request latency.' });
    for (let i = 1; i <= 1000; i++) latency.observe(i / 10); // 0.1 ms … 100 ms
    now += 1000;
    monitor.sample();
    const [parsed] = parsePrometheusTextFormat(monitor.prometheus());
    expect(parsed?.type).toBe('SUMMARY');
    const sample = parsed?.metrics[0];
    expect(Number(sample?.count)).toBe(1000);
    expect(Number(sample?.sum)).toBeCloseTo(50.05, 6); // (0.1 + … + 100) ms in seconds
    expect(Number(sample?.quantiles?.['0.5'])).toBeCloseTo(0.05, 4);
    expect(Number(sample?.quantiles?.['0.99'])).toBeCloseTo(0.099, 4);
    expect(Number(sample?.quantiles?.['0.999'])).toBeCloseTo(0.0999, 4);
  });

  it('escapes help text and label values so any value round-trips', () => {
    monitor = createMonitor({ logger: false, runtime: false, channels: false });
    const counter = monitor.metrics.counter({ name: 'app_odd_total', help: 'Help with a \\ backslash\nand a newline.', labelNames: ['path'] });
    const odd = 'C:\\dir\\"quoted"\nline';
    counter.labels(odd).inc(3);
    const parsed = family(parsePrometheusTextFormat(monitor.prometheus()), 'app_odd_total');
    expect(parsed.help).toBe('Help with a \\ backslash\nand a newline.');
    expect(parsed.metrics).toEqual([{ labels: { path: odd }, value: '3' }]);
  });

  it('writes NaN quantiles for a summary without observations in its window', () => {
    monitor = createMonitor({ logger: false, runtime: false, channels: false });
    monitor.metrics.histogram({ name: 'app_idle_seconds', help: 'Never observed.' });
    const [parsed] = parsePrometheusTextFormat(monitor.prometheus());
    expect(parsed?.metrics[0]?.quantiles?.['0.5']).toBe('NaN');
    expect(parsed?.metrics[0]?.count).toBe('0');
  });
});
