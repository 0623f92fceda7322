import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { axisScale, renderBarChart } from '../src/report/render-bar-chart.js';
import { renderMarkdown } from '../src/report/render-markdown.js';
import { writeReport } from '../src/report/write-report.js';
import type { RunRecord } from '../src/results/run-record.js';
import { caseResult, MACHINE, suiteResult, targetResult } from './fixtures.js';

const append = suiteResult(
  'append',
  [caseResult('raw <put>', 'baseline', 100_000), caseResult('store | append', 'subject', 85_000, { bytesPerEvent: 120 })],
  [
    targetResult({ kind: 'ratio', subject: 'store | append', baseline: 'raw <put>', min: 0.8, description: 'durable appends' }, 0.85, true),
    targetResult({ kind: 'opsPerSec', subject: 'store | append', min: 500_000 }, 85_000, false),
  ],
);
const cache = suiteResult('cache', [caseResult('lru get', 'baseline', 3_800_000), caseResult('l1 get', 'subject', 3_500_000)]);

const record: RunRecord = {
  version: 1,
  startedAt: '2025-01-02T03:04:05.678Z',
  finishedAt: '2025-01-02T03:09:05.678Z',
  quick: false,
  machine: MACHINE,
  suites: [append, cache],
  runInfo: {
    append: { durationMs: 2000, warmupMs: 500, repetitions: 5, description: 'Durable appends.', harnessOverheadNs: 70, notes: ['a note'] },
  },
  failures: [{ suite: 'broken', error: 'Error: boom\n    at somewhere' }],
  verdict: { passed: false, reasons: [] },
};

describe('renderBarChart', () => {
  const svg = renderBarChart(append);

  it('is one SVG document with a bar and a value label per case', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const bars = [...svg.matchAll(/<rect x="240" y="\d+" width="([\d.]+)" height="18" fill="(#[0-9a-f]+)">/g)];
    expect(bars.map((bar) => bar[2])).toEqual(['#8c96a3', '#2563eb']);
    // The longer bar belongs to the faster case.
    expect(Number(bars[0]![1])).toBeGreaterThan(Number(bars[1]![1]));
    expect(svg).toContain('>100k</text>');
    expect(svg).toContain('>85k</text>');
  });

  it('escapes case names', () => {
    expect(svg).toContain('raw &lt;put&gt;');
    expect(svg).not.toContain('raw <put>');
  });

  it('picks an axis of round steps that covers the largest value', () => {
    expect(axisScale(100_000)).toEqual({ step: 50_000, max: 100_000 });
    expect(axisScale(12_500_000)).toEqual({ step: 5_000_000, max: 15_000_000 });
    expect(axisScale(0)).toEqual({ step: 1, max: 1 });
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(record, { chartsHref: 'benchmarks' });

  it('describes the machine and summarises targets per suite', () => {
    expect(markdown.startsWith('# Benchmarks\n')).toBe(true);
    expect(markdown).toContain('linux-x64, 2 × Test CPU, 8 GiB memory, Node.js v20.0.0');
    expect(markdown).toContain('| [Suite append](#append) | 2 | 1 / 2 |');
    expect(markdown).toContain('| [Suite cache](#cache) | 2 | 0 / 0 |');
    expect(markdown).toContain('- `broken`: Error: boom');
  });

  it('has a section per suite with its chart, cases, ratios and targets', () => {
    expect(markdown).toContain('## Suite append');
    expect(markdown).toContain('![Suite append: ops/s per case](benchmarks/append.svg)');
    expect(markdown).toContain('Each case: 2000 ms after 500 ms of warm-up, 5 repetitions.');
    expect(markdown).toContain('| store \\| append | subject | 85k | ±2.0% | 0.01 | 0.05 | 0.1 | 0.85× raw &lt;put> |');
    expect(markdown).toContain('| store \\| append | bytesPerEvent | 120 |');
    expect(markdown).toMatch(/\| store \\\| append \/ raw &lt;put> ≥ 0\.80× — durable appends \| 0\.85× \| pass \|/);
    expect(markdown).toMatch(/\| store \\\| append ≥ 500k ops\/s \| 85k ops\/s \| \*\*FAIL\*\* \|/);
    expect(markdown).toContain('> Note: a note');
    expect(markdown).toContain('| l1 get | subject | 3.5M |');
  });

  it('marks quick runs as indicative only', () => {
    expect(markdown).not.toContain('quick run');
    expect(renderMarkdown({ ...record, quick: true }, { chartsHref: 'benchmarks' })).toContain('quick run');
  });

  it('depends only on the record', () => {
    expect(renderMarkdown(record, { chartsHref: 'benchmarks' })).toBe(markdown);
  });
});

describe('writeReport', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the document and one chart per suite, and removes stale charts', async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-bench-report-'));
    const chartsDir = join(dir, 'docs', 'benchmarks');
    await mkdir(chartsDir, { recursive: true });
    await writeFile(join(chartsDir, 'removed-suite.svg'), '<svg/>');
    const reportFile = join(dir, 'docs', 'benchmarks.md');

    const written = await writeReport(record, { reportFile, chartsDir });

    expect(written).toEqual([join(chartsDir, 'append.svg'), join(chartsDir, 'cache.svg'), reportFile]);
    expect((await readdir(chartsDir)).sort()).toEqual(['append.svg', 'cache.svg']);
    expect(await readFile(reportFile, 'utf8')).toContain('](benchmarks/append.svg)');
  });
});
