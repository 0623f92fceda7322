import type { HistogramStats } from '../metrics/histogram-metric.js';
import type { MonitorSnapshot } from '../snapshot/monitor-snapshot.js';
import { formatBytes, formatDuration, formatMs, formatNumber, formatRatio, sparkline } from './format.js';

/** Settings of {@link renderTop}. */
export type RenderTopOptions = {
  /** Columns available; lines are cut to fit (default 100). */
  width?: number;
  /** Use ANSI colours and bold (default true). */
  color?: boolean;
  /** Recent events/s figures, oldest first, for the sparkline. */
  eventsPerSecHistory?: readonly number[];
  /** Shown in the header, e.g. the monitor's URL. */
  source?: string;
};

const ANSI = /\x1b\[[0-9;]*m/g;
const STYLES = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36', inverseRed: '1;41;97' } as const;
type Style = keyof typeof STYLES;

/** Characters a line shows, ANSI codes left out. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** Cuts a line to `width` visible characters, keeping ANSI codes intact. */
function fit(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  let out = '';
  let shown = 0;
  for (let i = 0; i < line.length && shown < width; ) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      out += line.slice(i, end + 1);
      i = end + 1;
    } else {
      out += line[i];
      shown += 1;
      i += 1;
    }
  }
  return `${out}\x1b[0m`;
}

function pad(text: string, width: number, right = false): string {
  const gap = Math.max(0, width - visibleLength(text));
  return right ? ' '.repeat(gap) + text : text + ' '.repeat(gap);
}

/**
 * Renders a snapshot as a text screen for terminals: throughput, latency percentiles, runtime,
 * and the cache, pool, projection, batch and processor tables when they have data, with active
 * alerts on top. Pure: the caller decides where (and whether) to clear the screen.
 */
export function renderTop(snapshot: MonitorSnapshot, options: RenderTopOptions = {}): string {
  const width = Math.max(40, options.width ?? 100);
  const color = options.color ?? true;
  const paint = (text: string, style: Style): string => (color ? `\x1b[${STYLES[style]}m${text}\x1b[0m` : text);
  const heading = (text: string): string => paint(text.toUpperCase(), 'bold');
  const row = (cells: readonly string[], widths: readonly number[]): string =>
    '  ' + cells.map((cell, i) => pad(cell, widths[i] ?? 10, i > 0)).join(' ');
  const lines: string[] = [];
  const s = snapshot;

  const time = new Date(s.time).toISOString().slice(11, 19);
  lines.push(
    `${paint(s.title, 'bold')} ${paint('· Strata monitor', 'dim')}  pid ${s.process.pid} on ${s.process.hostname} · node ${s.process.node} · up ${formatDuration(s.uptimeMs)} · ${time}` +
      (options.source === undefined ? '' : paint(`  ${options.source}`, 'dim')),
  );
  if (s.alerts.length === 0) {
    lines.push(paint('✓ no active alerts', 'green'));
  } else {
    for (const alert of s.alerts) {
      const tag = alert.state === 'firing' ? paint(` ${alert.severity.toUpperCase()} `, 'inverseRed') : paint('pending', 'yellow');
      const value = alert.value === null ? '' : ` ${alert.unit === 'ms' ? formatMs(alert.value) : formatNumber(alert.value)}`;
      // The alert may be stamped a moment after the snapshot's own time.
      const age = (from: number): string => formatDuration(Math.max(0, s.time - from));
      const since = alert.state === 'firing' && alert.firedAt !== null ? `firing ${age(alert.firedAt)}` : `pending ${age(alert.since)}`;
      lines.push(`${tag} ${paint(alert.name, 'bold')} ${alert.summary}${value} ${paint(`(${since})`, 'dim')}`);
    }
  }
  lines.push('');

  const spark = sparkline(options.eventsPerSecHistory ?? [], 30);
  const rate = (name: string, value: number, detail: string): string => `${row([name, formatNumber(value)], [12, 9])}   ${detail}`;
  lines.push(heading('Throughput') + paint('  per second', 'dim'));
  lines.push(rate('events', s.store.eventsPerSec, paint(spark, 'cyan')));
  lines.push(rate('appends', s.store.appendsPerSec, paint(`errors ${formatNumber(s.store.appendErrorsPerSec)}`, 'dim')));
  lines.push(rate('commands', s.commands.perSec, paint(`failed ${formatNumber(s.commands.failedPerSec)}  retries ${formatNumber(s.commands.retriesPerSec)}`, 'dim')));
  lines.push(rate('reads', s.store.readsPerSec, paint(`events read ${formatNumber(s.store.readEventsPerSec)}`, 'dim')));
  lines.push(rate('queries', s.queries.perSec, paint(`plan cache hits ${formatRatio(s.queries.planCacheHitRatio)}`, 'dim')));
  lines.push('');

  const latencyWidths = [12, 9, 9, 9, 9, 9, 9];
  lines.push(heading('Latency') + paint('  last interval', 'dim'));
  lines.push(paint(row(['', 'count', 'p50', 'p95', 'p99', 'p99.9', 'max'], latencyWidths), 'dim'));
  const latencyRow = (name: string, stats: HistogramStats | null): string =>
    row([name, formatNumber(stats?.count ?? 0), formatMs(stats?.p50), formatMs(stats?.p95), formatMs(stats?.p99), formatMs(stats?.p999), formatMs(stats?.max)], latencyWidths);
  lines.push(latencyRow('append', s.store.appendLatencyMs));
  lines.push(latencyRow('command', s.commands.latencyMs));
  lines.push(latencyRow('read', s.store.readLatencyMs));
  lines.push(latencyRow('query', s.queries.latencyMs));
  lines.push('');

  if (s.runtime !== null) {
    const r = s.runtime;
    lines.push(heading('Runtime'));
    lines.push(
      `  cpu ${formatNumber(r.cpuPercent)}%  loop busy ${formatRatio(r.eventLoopUtilisation)}  loop delay p99 ${formatMs(r.eventLoopDelayMs.p99)}  ` +
        `heap ${formatBytes(r.heapUsedBytes)}/${formatBytes(r.heapTotalBytes)}  rss ${formatBytes(r.rssBytes)}  ` +
        `gc ${r.gc.count} (${formatMs(r.gc.pauseMs)})  handles ${r.activeResources}`,
    );
    lines.push('');
  }

  const table = (title: string, head: readonly string[], widths: readonly number[], rows: readonly string[][]): void => {
    if (rows.length === 0) return;
    lines.push(heading(title));
    lines.push(paint(row(head, widths), 'dim'));
    for (const cells of rows) lines.push(row(cells, widths));
    lines.push('');
  };
  const breaker = (state: string | null): string =>
    state === null ? '–' : paint(state, state === 'closed' ? 'green' : state === 'open' ? 'red' : 'yellow');

  table('Cache', ['tier', 'hit ratio', 'hits/s', 'misses/s', 'evict/s'], [22, 10, 9, 9, 9],
    s.cache.tiers.map((t) => [`${t.cache} · ${t.tier}`, formatRatio(t.hitRatio), formatNumber(t.hitsPerSec), formatNumber(t.missesPerSec), formatNumber(t.evictionsPerSec)]));
  table('Pools', ['pool', 'in use', 'idle', 'waiting', 'acq p99', 'breaker'], [16, 9, 7, 8, 9, 10],
    s.pools.map((p) => [p.pool, `${p.inUse}/${p.total}`, String(p.idle), String(p.waiting), formatMs(p.acquireLatencyMs?.p99), breaker(p.breaker)]));
  table('Projections', ['projection', 'lag', 'lag time', 'applied/s'], [22, 10, 10, 10],
    s.projections.projections.map((p) => [p.projection, `${formatNumber(p.lagEvents)} ev`, formatMs(p.lagMs), formatNumber(p.appliedPerSec)]));
  table('Batches', ['batcher', 'batches/s', 'mean size', 'p99 size', 'pending', 'target'], [18, 10, 10, 9, 8, 8],
    s.batches.map((b) => [b.name, formatNumber(b.batchesPerSec), formatNumber(b.size?.mean), formatNumber(b.size?.p99), formatNumber(b.pending), formatNumber(b.targetSize)]));
  table('Processor', ['worker', 'queued', 'busy', 'steals/s'], [12, 9, 9, 9],
    s.processor.workers.map((w) => [w.worker, formatNumber(w.queueDepth), formatRatio(w.utilisation), formatNumber(w.stealsPerSec)]));

  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => fit(line, width)).join('\n') + '\n';
}
