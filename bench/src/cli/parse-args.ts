import { parseArgs } from 'node:util';

/** Options of the benchmark CLI. */
export type CliOptions = {
  quick: boolean;
  /** Suite ids to run; empty means all. */
  suites: string[];
  saveBaseline: boolean;
  /** How many times every selected suite runs (`--runs`, default 1). */
  runs: number;
  /** `true`/`false` when forced by `--report`/`--no-report`, `undefined` to decide by mode. */
  report: boolean | undefined;
  jsonOnly: boolean;
  help: boolean;
};

/** A mistake on the command line (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The CLI's help text. */
export const USAGE = `Usage: node bench/dist/run.js [options]

Runs the benchmark suites in bench/dist/suites, prints a table per suite, writes
bench/results/<suite>-<timestamp>.json and bench/results/latest.json, and compares
with bench/results/baseline.json.

Options
  --quick            short runs for CI: targets are reported, and only ratio
                     regressions against the saved baseline fail the run
  --suite <id>       run only this suite (repeatable, or a comma-separated list)
  --runs <n>         run every selected suite n times (default 1); each figure
                     is compared with the baseline by its best run, and saved
                     by its worst: with --quick --save-baseline this records
                     the floor that CI runs are checked against
  --save-baseline    store this run's figures in bench/results/baseline.json
                     (suites not run keep their saved figures)
  --report           regenerate docs/benchmarks.md even in quick mode or for a
                     subset of suites
  --no-report        do not regenerate docs/benchmarks.md after a full run
  --json-only        print the run's JSON (as in latest.json) instead of tables
  -h, --help         show this help

Exit status: 0 when the run passes, 1 when a suite fails to run, a target fails
(full mode) or a ratio regresses beyond tolerance (quick mode), 2 on bad usage.`;

/** Parses the CLI arguments (without `node` and the script). Throws {@link UsageError}. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean', default: false },
        suite: { type: 'string', multiple: true, default: [] },
        'save-baseline': { type: 'boolean', default: false },
        runs: { type: 'string', default: '1' },
        report: { type: 'boolean' },
        'no-report': { type: 'boolean' },
        'json-only': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.report && values['no-report']) throw new UsageError('--report and --no-report contradict each other');
  const runs = Number(values.runs);
  if (!/^\d+$/.test(values.runs) || !Number.isSafeInteger(runs) || runs < 1) throw new UsageError(`--runs wants a whole number from 1, not "${values.runs}"`);
  const suites = values.suite.flatMap((list) => list.split(',')).map((id) => id.trim()).filter((id) => id !== '');
  return {
    quick: values.quick,
    suites: [...new Set(suites)],
    saveBaseline: values['save-baseline'],
    runs,
    report: values.report ? true : values['no-report'] ? false : undefined,
    jsonOnly: values['json-only'],
    help: values.help,
  };
}

/**
 * Whether a run regenerates `docs/benchmarks.md`: when forced either way; otherwise only after
 * a full run of every suite, so that neither quick figures nor a partial run replace the document.
 */
export function shouldWriteReport(options: Pick<CliOptions, 'quick' | 'suites' | 'report'>): boolean {
  return options.report ?? (!options.quick && options.suites.length === 0);
}
