import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { StrataError } from '@strata/core';

/** The OS identity PostgreSQL runs as; `undefined` ids mean "as the current user". */
export type RunAs = { uid: number | undefined; gid: number | undefined; user: string | undefined };

/**
 * PostgreSQL refuses to run as root. When the current process is root, resolves `osUser` (default
 * `postgres`) to run the server as; otherwise runs as the current user.
 */
export function resolveRunAs(osUser: string): RunAs {
  if (process.getuid?.() !== 0) return { uid: undefined, gid: undefined, user: undefined };
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, osUser], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10);
  try {
    return { uid: id('-u'), gid: id('-g'), user: osUser };
  } catch (error) {
    throw new StrataError(
      'STORE_FAILURE',
      `PostgreSQL refuses to run as root and there is no user '${osUser}' to run it as: create one (useradd --system ${osUser}) or pass osUser`,
      { cause: error, details: { osUser } },
    );
  }
}

/** Result of a finished helper program. */
export type ToolResult = { code: number; output: string };

/** Runs a PostgreSQL tool as `runAs`, collecting its output; never throws for a non-zero exit. */
export function runTool(file: string, args: readonly string[], runAs: RunAs, cwd: string, timeoutMs: number): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, uid: runAs.uid, gid: runAs.gid, env: toolEnv(), timeout: timeoutMs, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: `${stdout}${stderr}${error !== null && code === -1 ? error.message : ''}` });
      },
    );
  });
}

/** The environment of PostgreSQL processes: the caller's, minus libpq variables that would redirect tools. */
export function toolEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  for (const key of Object.keys(env)) if (key.startsWith('PG')) delete env[key];
  return env;
}

/** A TCP port free on `host` right now (the OS picks it). */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether any process of process group `pgid` is still alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends `signal` to a process group, ignoring a group that is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already exited.
  }
}

/** Resolves after `ms` milliseconds (polling intervals of the launcher, never test assertions). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The shared-memory key a postmaster recorded in its `postmaster.pid` (line 7), or `undefined` when
 * the file or the line is missing.
 */
export function sharedMemoryKey(dataDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const key = Number((text.split('\n')[6] ?? '').trim().split(/\s+/)[0]);
  return Number.isSafeInteger(key) && key > 0 ? key : undefined;
}

/**
 * Processes still attached to the System V shared-memory segment `key` (Linux, from
 * `/proc/sysvipc/shm`); 0 when the segment is gone or the table cannot be read.
 */
export function sharedMemoryAttachments(key: number): number {
  let text: string;
  try {
    text = readFileSync('/proc/sysvipc/shm', 'utf8');
  } catch {
    return 0;
  }
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (Number(fields[0]) === key) return Number(fields[6] ?? 0);
  }
  return 0;
}
