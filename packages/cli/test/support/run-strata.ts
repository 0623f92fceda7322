import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `strata` binary (tests run against `dist/`, as users do). */
export const STRATA_BIN = fileURLToPath(new URL('../../dist/bin/strata.js', import.meta.url));

export type StrataRun = { code: number | null; stdout: string; stderr: string };

/** Starts `strata` with `args`; the caller awaits {@link finished} or kills it. */
export function startStrata(args: readonly string[], options: { cwd?: string } = {}): { child: ChildProcess; finished: Promise<StrataRun> } {
  const child = spawn(process.execPath, [STRATA_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<StrataRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, finished };
}

/** Runs `strata` with `args` to the end. */
export function runStrata(args: readonly string[], options: { cwd?: string } = {}): Promise<StrataRun> {
  return startStrata(args, options).finished;
}
