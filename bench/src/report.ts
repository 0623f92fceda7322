/**
 * Regenerates `docs/benchmarks.md` and its charts from a run's results:
 * `node bench/dist/report.js [results file]` (default `bench/results/latest.json`).
 */
import { relative, resolve } from 'node:path';
import { chartsDir, latestFile, repoRoot, reportFile } from './paths.js';
import { readRunRecord } from './results/run-record.js';
import { writeReport } from './report/write-report.js';

const source = process.argv[2] ? resolve(process.argv[2]) : latestFile;
const record = await readRunRecord(source);
if (!record) {
  process.stderr.write(`No results at ${relative(process.cwd(), source)}: run \`npm run bench\` first.\n`);
  process.exitCode = 1;
} else {
  const written = await writeReport(record, { reportFile, chartsDir });
  for (const file of written) process.stdout.write(`wrote ${relative(repoRoot, file)}\n`);
}
