import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuiteRun } from '../harness/run-suite.js';

/** What a suite process sends its parent before it exits. */
export type SuiteProcessMessage = { type: 'result'; run: SuiteRun } | { type: 'error'; error: string };

/** A suite that failed inside its process; `stack` holds the child's own account of the failure. */
export class SuiteProcessError extends Error {
  override readonly name = 'SuiteProcessError';

  constructor(report: string) {
    super(report.split('\n')[0]);
    this.stack = report;
  }
}

const ENTRY = fileURLToPath(new URL('./suite-process-main.js', import.meta.url));

/**
 * Runs one suite module in a child Node.js process and resolves with its result. Each suite gets
 * a fresh process so that one suite's heap, JIT state and native handles do not colour the next,
 * so that RSS means something, and so that a crash in native code loses one suite, not the run.
 * The child runs with `--expose-gc` (the harness collects garbage between windows) and writes
 * both its output streams to this process's stderr, keeping stdout for the tables or the JSON.
 * Its cases' temporary directories live in a folder this process removes afterwards, so even a
 * killed suite leaves nothing behind.
 */
export async function runSuiteInChildProcess(file: string, quick: boolean): Promise<SuiteRun> {
  const tmpRoot = await mkdtemp(join(tmpdir(), 'strata-bench-'));
  try {
    return await runChild(file, quick, tmpRoot);
  } finally {
    await rm(tmpRoot, { recursive: true, force: true });
  }
}

function runChild(file: string, quick: boolean, tmpRoot: string): Promise<SuiteRun> {
  return new Promise((resolve, reject) => {
    const execArgv = [...new Set([...process.execArgv, '--expose-gc'])];
    const child = fork(ENTRY, [file, quick ? '--quick' : '--full', tmpRoot], {
      execArgv,
      // Structured clone keeps NaN (an unmeasurable target) intact, which JSON would turn into null.
      serialization: 'advanced',
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let message: SuiteProcessMessage | undefined;
    child.on('message', (received) => {
      message = received as SuiteProcessMessage;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (message?.type === 'result') resolve(message.run);
      else if (message?.type === 'error') reject(new SuiteProcessError(message.error));
      else reject(new SuiteProcessError(`suite process exited with ${signal ? `signal ${signal}` : `code ${String(code)}`} before reporting a result`));
    });
  });
}
