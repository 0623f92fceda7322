import { basename, join, relative } from 'node:path';
import type { SuiteRunInfo } from '../harness/run-suite.js';
import type { SuiteResult } from '../harness/types.js';
import { machineInfo } from '../harness/machine-info.js';
import { baselineFile, chartsDir, latestFile, repoRoot, reportFile, resultsDir, suitesDir } from '../paths.js';
import { writeReport } from '../report/write-report.js';
import { readBaseline, updateBaseline } from '../results/baseline.js';
import { compareWithBaseline, REGRESSION_TOLERANCE } from '../results/compare-with-baseline.js';
import { writeJsonFile } from '../results/json-file.js';
import { suiteResultFileName, type RunRecord, type SuiteFailure } from '../results/run-record.js';
import { runVerdict } from '../results/run-verdict.js';
import { describeError } from './describe-error.js';
import { discoverSuites, type DiscoveredSuite } from './discover-suites.js';
import { formatComparisonText } from './format-comparison-text.js';
import { formatSuiteText } from './format-suite-text.js';
import { parseCliArgs, shouldWriteReport, UsageError, USAGE, type CliOptions } from './parse-args.js';
import { runSuiteInChildProcess } from './suite-process.js';

const out = (text: string): void => void process.stdout.write(`${text}\n`);
const err = (text: string): void => void process.stderr.write(`${text}\n`);
const shown = (file: string): string => relative(repoRoot, file).split('\\').join('/');

/**
 * The benchmark CLI: parses the arguments, runs the selected suites one child process each,
 * prints and stores their results, compares them with the saved baseline, optionally saves a new
 * baseline and regenerates the report, and returns the exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    out(USAGE);
    return 0;
  }

  const discovery = await discoverSuites(suitesDir);
  const failures: SuiteFailure[] = [];
  for (const problem of discovery.errors) {
    // With an explicit selection, someone else's broken suite only warrants a warning.
    if (options.suites.length > 0) err(`warning: skipped ${problem.file}: ${problem.error}`);
    else failures.push({ suite: basename(problem.file, '.js'), error: problem.error });
  }
  const selected = selectSuites(discovery.suites, options.suites);
  if (typeof selected === 'string') {
    err(selected);
    return 2;
  }
  if (selected.length === 0 && failures.length === 0) {
    err(`No benchmark suites found in ${shown(suitesDir)}. Build first: npx tsc -b bench`);
    return 1;
  }

  const startedAt = new Date().toISOString();
  const runInfo: Record<string, SuiteRunInfo> = {};
  const runOne = async ({ file, suite }: DiscoveredSuite, label: string): Promise<SuiteResult | undefined> => {
    err(`${label} ${suite.id}: ${suite.title}${options.quick ? ' (quick)' : ''}`);
    try {
      const run = await runSuiteInChildProcess(file, options.quick);
      runInfo[suite.id] = run.info;
      await writeJsonFile(join(resultsDir, suiteResultFileName(run.result)), run.result);
      if (!options.jsonOnly) out(`\n${formatSuiteText(run.result, run.info)}\n`);
      return run.result;
    } catch (error) {
      failures.push({ suite: suite.id, error: describeError(error) });
      err(`Suite ${suite.id} failed:\n${describeError(error)}`);
      return undefined;
    }
  };
  // Every run of every suite, in run order: `--runs` repeats the selection, and confirmation runs
  // of a quick run come after it.
  const runs: SuiteResult[] = [];
  for (let round = 1; round <= options.runs; round++) {
    for (const entry of selected) {
      const result = await runOne(entry, options.runs > 1 ? `Run ${round}/${options.runs}:` : 'Running');
      if (result !== undefined) runs.push(result);
    }
  }

  const baseline = await readBaseline(baselineFile);
  const tolerance = options.quick ? REGRESSION_TOLERANCE.quick : REGRESSION_TOLERANCE.full;
  let comparison = baseline ? compareWithBaseline(runs, baseline, tolerance) : undefined;
  if (options.quick && baseline !== undefined) {
    // A quick window is short and CI machines are shared: a ratio regression counts only when
    // every run of the suite shows it, so a suite with one runs again, up to QUICK_CONFIRMATIONS
    // times, until its best run is within the tolerance.
    for (let attempt = 1; attempt <= QUICK_CONFIRMATIONS; attempt++) {
      const regressed = new Set(comparison?.checks.filter((check) => check.kind === 'ratio' && check.regression).map((check) => check.suite));
      if (regressed.size === 0) break;
      for (const entry of selected.filter(({ suite }) => regressed.has(suite.id))) {
        const again = await runOne(entry, `Confirming a ratio regression (${attempt}/${QUICK_CONFIRMATIONS}): running`);
        if (again !== undefined) runs.push(again);
      }
      comparison = compareWithBaseline(runs, baseline, tolerance);
    }
  }
  const results = lastRunOfEachSuite(runs);
  const earlierRuns = runs.filter((run) => !results.includes(run));
  const record: RunRecord = {
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    machine: machineInfo(),
    suites: results,
    ...(earlierRuns.length > 0 ? { earlierRuns } : {}),
    runInfo,
    failures,
    ...(comparison ? { comparison } : {}),
    verdict: runVerdict({ quick: options.quick, suites: results, failures, comparison }),
  };
  await writeJsonFile(latestFile, record);

  const notices: string[] = [];
  if (options.saveBaseline && results.length > 0) {
    await writeJsonFile(baselineFile, updateBaseline(baseline, runs));
    const from = runs.length > results.length ? ' (each figure the worst of its runs)' : '';
    notices.push(`Saved ${results.map((result) => result.suite).join(', ')} to ${shown(baselineFile)}${from}`);
  }
  if (shouldWriteReport(options)) {
    const written = await writeReport(record, { reportFile, chartsDir });
    notices.push(`Regenerated ${written.map(shown).join(', ')}`);
  }

  if (options.jsonOnly) {
    out(JSON.stringify(record, null, 2));
    for (const notice of notices) err(notice);
  } else {
    out(comparison ? formatComparisonText(comparison, options.quick) : `No saved baseline at ${shown(baselineFile)}; run with --save-baseline to create one.`);
    out('');
    for (const notice of [`Results in ${shown(resultsDir)}/ (latest.json has the whole run)`, ...notices]) out(notice);
    out(record.verdict.passed ? 'PASSED' : `FAILED\n${record.verdict.reasons.map((reason) => `  ${reason}`).join('\n')}`);
  }
  return record.verdict.passed ? 0 : 1;
}

/** Most confirmation runs a suite with a ratio regression gets in quick mode. */
const QUICK_CONFIRMATIONS = 2;

/** The last run of each suite, in the order the suites first ran. */
function lastRunOfEachSuite(runs: readonly SuiteResult[]): SuiteResult[] {
  const ids = [...new Set(runs.map((run) => run.suite))];
  return ids.map((id) => runs.findLast((run) => run.suite === id) as SuiteResult);
}

/** The suites to run, in discovery order, or a usage message naming an unknown id. */
function selectSuites(found: readonly DiscoveredSuite[], ids: readonly string[]): DiscoveredSuite[] | string {
  if (ids.length === 0) return [...found];
  const known = new Set(found.map(({ suite }) => suite.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    return `Unknown suite ${unknown.map((id) => `"${id}"`).join(', ')}; available: ${[...known].join(', ') || 'none'}`;
  }
  return found.filter(({ suite }) => ids.includes(suite.id));
}
