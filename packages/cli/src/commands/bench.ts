import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../cli/cli-io.js';
import type { Command } from '../cli/command.js';
import { flag, parseCommandArgs, type OptionSpecs } from '../cli/parse-command-args.js';
import { CliError, CliErrorCodes, UsageError } from '../errors/cli-errors.js';

const USAGE = `usage: strata bench [--quick] [--suite <id>]... [options]

Runs Strata's benchmark suite (bench/ in the Strata repository): every case beside its baseline,
tables on stdout, progress on stderr, results in bench/results/.

  --quick            short windows, at most two repetitions (as in CI)
  --suite <id>       run only this suite; repeatable, or a comma-separated list
  --save-baseline    store this run's figures as the baseline
  --report           regenerate docs/benchmarks.md even after a quick or partial run
  --no-report        do not regenerate docs/benchmarks.md after a full run
  --json-only        print the run as JSON on stdout instead of tables
  -h, --help         this text

It runs inside a checkout of the Strata repository (found from the current directory). Elsewhere:
  git clone <strata repository> && cd strata && npm ci && npm run bench
`;

const OPTIONS: OptionSpecs = {
  quick: { type: 'boolean' },
  suite: { type: 'string', multiple: true },
  'save-baseline': { type: 'boolean' },
  report: { type: 'boolean' },
  'no-report': { type: 'boolean' },
  'json-only': { type: 'boolean' },
};

/** `strata bench`: runs `bench/dist/run.js` of the repository it is started in. */
export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmark suite (in a Strata checkout)',
  usage: USAGE,
  async run(argv, io) {
    const args = parseCommandArgs(argv, OPTIONS, 'bench');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`, 'bench');
    const root = findRepository(process.cwd()) ?? findRepository(dirname(fileURLToPath(import.meta.url)));
    if (root === undefined) {
      throw new CliError(CliErrorCodes.INVALID_CONFIG, 'not inside a Strata repository checkout; run the benchmarks from one: npm ci && npm run bench', {
        details: { cwd: process.cwd() },
      });
    }
    const runner = join(root, 'bench', 'dist', 'run.js');
    if (!existsSync(runner)) {
      throw new CliError(CliErrorCodes.INVALID_CONFIG, `the benchmarks are not built: run 'npm run build' in ${root} first`, { details: { root } });
    }
    const forwarded: string[] = [];
    if (flag(args, 'quick')) forwarded.push('--quick');
    const suites = (args.values['suite'] as unknown as string[] | undefined) ?? [];
    for (const suite of suites) forwarded.push('--suite', suite);
    for (const name of ['save-baseline', 'report', 'no-report', 'json-only']) if (flag(args, name)) forwarded.push(`--${name}`);
    return runChild(process.execPath, [runner, ...forwarded], root, io);
  },
};

/** The nearest ancestor of `from` that is the Strata repository (its root package and `bench/`). */
function findRepository(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && existsSync(join(dir, 'bench', 'package.json'))) {
      try {
        const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (name === 'strata') return dir;
      } catch {
        // An unreadable manifest is not the repository; keep looking upwards.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Runs the bench runner on this process's terminal, so its progress bars and tables draw as they would on their own. */
function runChild(command: string, argv: string[], cwd: string, io: CliIo): Promise<number> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(command, argv, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    const stop = (): void => void child.kill('SIGINT');
    io.signal.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      io.signal.removeEventListener('abort', stop);
      resolveExit(code ?? (signal === null ? 1 : 130));
    });
  });
}
