import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { RunRecord } from '../results/run-record.js';
import { renderBarChart } from './render-bar-chart.js';
import { renderMarkdown } from './render-markdown.js';

/** Where {@link writeReport} writes. */
export type ReportPaths = {
  /** The Markdown document (`docs/benchmarks.md`). */
  reportFile: string;
  /** The charts folder (`docs/benchmarks/`), owned by the generator: stale charts are removed. */
  chartsDir: string;
};

/**
 * Writes the benchmark document and one SVG chart per suite of `record`, and removes charts of
 * suites the record no longer has. Returns the files written.
 */
export async function writeReport(record: RunRecord, { reportFile, chartsDir }: ReportPaths): Promise<string[]> {
  await mkdir(chartsDir, { recursive: true });
  const written: string[] = [];
  const charts = new Set<string>();
  for (const result of record.suites) {
    const file = `${result.suite}.svg`;
    charts.add(file);
    await writeFile(join(chartsDir, file), renderBarChart(result));
    written.push(join(chartsDir, file));
  }
  for (const name of await readdir(chartsDir)) {
    if (name.endsWith('.svg') && !charts.has(name)) await rm(join(chartsDir, name), { force: true });
  }
  const chartsHref = relative(dirname(reportFile), chartsDir).split(sep).join('/') || '.';
  await mkdir(dirname(reportFile), { recursive: true });
  await writeFile(reportFile, renderMarkdown(record, { chartsHref }));
  written.push(reportFile);
  return written;
}
