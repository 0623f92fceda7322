import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, StoreClosedError, StrataError } from '@strata/core';
import { findPostgresBinaries, type PostgresBinaries } from './find-postgres-binaries.js';
import { resolvePostgresOptions, serverSettings, type ResolvedPostgresOptions, type StartPostgresOptions } from './postgres-options.js';
import { findFreePort, groupAlive, resolveRunAs, sharedMemoryAttachments, sharedMemoryKey, runTool, signalGroup, sleep, toolEnv, type RunAs } from './process-tools.js';
import { cleanupRegistry, type SyncDisposable } from './cleanup-registry.js';
import { startWatchdog } from './watchdog.js';
import type { KillMode, PostgresServer, StopMode } from './postgres-server.js';

const HOST = '127.0.0.1';
const BIND_FAILURE = /could not bind|Address already in use|could not create any TCP\/IP sockets/i;
const STOP_SIGNALS: Record<StopMode, NodeJS.Signals> = { smart: 'SIGTERM', fast: 'SIGINT', immediate: 'SIGQUIT' };

/**
 * Starts a throwaway PostgreSQL server from the system binaries: a fresh data directory in a new
 * temp directory (socket and log inside it too), trust authentication, a free loopback port, and
 * a database for the caller. Runs the server as `osUser` (default `postgres`) when this process is
 * root. Resolves once the server accepts connections. The server never outlives the process: it
 * is killed and its files removed on exit, SIGINT, SIGTERM and SIGHUP, and by a watchdog process
 * if this process is killed outright.
 *
 * Fails with `INVALID_ARGUMENT` for bad options and `STORE_FAILURE` when PostgreSQL cannot be
 * found, initialised or started (the message carries the server log tail).
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const resolved = resolvePostgresOptions(options);
  const binaries = findPostgresBinaries(resolved.binDir);
  const runAs = resolveRunAs(resolved.osUser);
  const server = new LocalPostgresServer(resolved, binaries, runAs);
  try {
    await server.initialise();
  } catch (error) {
    server.disposeSync();
    throw error;
  }
  return server;
}

class LocalPostgresServer implements PostgresServer, SyncDisposable {
  readonly #options: ResolvedPostgresOptions;
  readonly #binaries: PostgresBinaries;
  readonly #runAs: RunAs;
  readonly #root: string;
  readonly host = HOST;
  readonly database: string;
  readonly user: string;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly logFile: string;
  version = '';
  #port = 0;
  #process: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #watchdog: number | undefined;
  #removed = false;

  constructor(options: ResolvedPostgresOptions, binaries: PostgresBinaries, runAs: RunAs) {
    this.#options = options;
    this.#binaries = binaries;
    this.#runAs = runAs;
    this.#root = mkdtempSync(join(options.baseDir, 'strata-pg-'));
    this.database = options.database;
    this.user = options.user;
    this.dataDir = join(this.#root, 'data');
    this.socketDir = join(this.#root, 'socket');
    this.logFile = join(this.#root, 'postgres.log');
    cleanupRegistry.add(this);
  }

  get port(): number {
    return this.#port;
  }

  get connectionString(): string {
    return `postgresql://${this.user}@${HOST}:${this.#port}/${this.database}`;
  }

  get running(): boolean {
    return this.#process !== undefined;
  }

  /** Creates the cluster, starts the server and creates the database. */
  async initialise(): Promise<void> {
    mkdirSync(this.socketDir);
    if (this.#runAs.uid !== undefined && this.#runAs.gid !== undefined) {
      for (const path of [this.#root, this.socketDir]) chownSync(path, this.#runAs.uid, this.#runAs.gid);
    }
    if (this.#options.watchdog) this.#watchdog = startWatchdog(this.#root, this.dataDir);
    const version = await runTool(this.#binaries.postgres, ['--version'], this.#runAs, this.#root, 30_000);
    this.version = /(\d+(?:\.\d+)*)/.exec(version.output)?.[1] ?? version.output.trim();
    const initdb = await runTool(
      this.#binaries.initdb,
      ['-D', this.dataDir, '-U', this.user, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
      this.#runAs,
      this.#root,
      120_000,
    );
    if (initdb.code !== 0) throw this.#failure(`initdb failed (exit ${initdb.code}):\n${initdb.output.trim()}`);
    await this.#launch(this.#options.port === undefined);
    if (this.database !== 'postgres') {
      const args = ['-h', this.socketDir, '-p', String(this.#port), '-U', this.user, this.database];
      const created = await runTool(this.#binaries.createdb, args, this.#runAs, this.#root, 30_000);
      if (created.code !== 0) throw this.#failure(`createdb ${this.database} failed (exit ${created.code}):\n${created.output.trim()}`);
    }
  }

  async start(): Promise<void> {
    if (this.#removed) throw new StoreClosedError('PostgreSQL server (stopped and removed)');
    if (this.#process !== undefined) return;
    await this.#launch(false);
  }

  async stop(options: { mode?: StopMode; keepData?: boolean } = {}): Promise<void> {
    const mode = options.mode ?? 'fast';
    if (!(mode in STOP_SIGNALS)) throw new InvalidArgumentError('mode', `expected 'smart', 'fast' or 'immediate'`);
    await this.#halt(mode);
    if (options.keepData !== true) this.#remove();
  }

  async restart(options: { mode?: StopMode } = {}): Promise<void> {
    await this.stop({ mode: options.mode ?? 'fast', keepData: true });
    await this.start();
  }

  async kill(mode: KillMode = 'immediate'): Promise<void> {
    if (mode === 'immediate') return this.#halt('immediate');
    if (mode !== 'SIGKILL') throw new InvalidArgumentError('mode', `expected 'immediate' or 'SIGKILL'`);
    const child = this.#process;
    if (child?.pid === undefined) return;
    signalGroup(child.pid, 'SIGKILL');
    await this.#awaitExit(child);
    await this.#awaitGroupGone(child.pid);
  }

  logTail(lines = 40): string {
    const text = this.#logText();
    return text.length === 0 ? '(the server log is empty)' : text.trimEnd().split('\n').slice(-lines).join('\n');
  }

  disposeSync(): void {
    const pid = this.#process?.pid;
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    this.#process = undefined;
    this.#remove();
  }

  async #launch(mayPickPort: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.#port === 0 || (mayPickPort && attempt > 1)) this.#port = this.#options.port ?? (await findFreePort(HOST));
      const logStart = this.#logText().length;
      this.#spawn();
      const outcome = await this.#awaitReady();
      if (outcome === 'ready') return;
      await this.kill('SIGKILL');
      const log = this.#logText().slice(logStart);
      if (mayPickPort && attempt < 3 && BIND_FAILURE.test(log)) continue;
      const why = outcome === 'exited' ? 'exited during startup' : `did not accept connections within ${this.#options.startTimeoutMs} ms`;
      throw this.#failure(`PostgreSQL ${why}`);
    }
  }

  #spawn(): void {
    const args = ['-D', this.dataDir];
    for (const [name, value] of Object.entries(serverSettings(this.#options, this.#port, this.socketDir))) args.push('-c', `${name}=${value}`);
    const log = openSync(this.logFile, 'a');
    try {
      // Detached: the server gets its own process group, so kill('SIGKILL') reaches every backend.
      const child = spawn(this.#binaries.postgres, args, {
        cwd: this.#root,
        uid: this.#runAs.uid,
        gid: this.#runAs.gid,
        env: toolEnv(),
        detached: true,
        stdio: ['ignore', log, log],
      });
      child.unref();
      this.#process = child;
      this.#exited = new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.once('error', () => resolve());
      }).then(() => {
        if (this.#process === child) this.#process = undefined;
      });
    } finally {
      closeSync(log);
    }
  }

  async #awaitReady(): Promise<'ready' | 'exited' | 'timeout'> {
    const deadline = Date.now() + this.#options.startTimeoutMs;
    // Probe through our own socket directory: a foreign server that grabbed the port cannot answer there,
    // and PostgreSQL opens its unix socket only after its TCP socket.
    const args = ['-h', this.socketDir, '-p', String(this.#port), '-U', this.user, '-d', 'postgres', '-t', '2'];
    while (Date.now() < deadline) {
      if (this.#process === undefined) return 'exited';
      const probe = await runTool(this.#binaries.pgIsReady, args, this.#runAs, this.#root, 10_000);
      if (probe.code === 0) return 'ready';
      await sleep(50);
    }
    return 'timeout';
  }

  #logText(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  async #halt(mode: StopMode): Promise<void> {
    const child = this.#process;
    if (child?.pid === undefined) return;
    child.kill(STOP_SIGNALS[mode]);
    const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 60_000);
    try {
      await this.#awaitExit(child);
    } finally {
      clearTimeout(timer);
    }
    await this.#awaitGroupGone(child.pid);
  }

  /** Waits for the postmaster to exit, keeping the event loop alive meanwhile (the child is unref'd otherwise). */
  async #awaitExit(child: ChildProcess): Promise<void> {
    child.ref();
    try {
      await this.#exited;
    } finally {
      child.unref();
    }
  }

  async #awaitGroupGone(pgid: number): Promise<void> {
    // Backends of a SIGKILLed group die a moment after the postmaster; a restart must not meet them,
    // nor their hold on the old shared memory, which the kernel can release a moment after they are
    // gone (PostgreSQL refuses to start while the segment has attachments).
    for (let i = 0; i < 200 && groupAlive(pgid); i++) await sleep(25);
    const key = sharedMemoryKey(this.dataDir);
    if (key === undefined) return;
    for (let i = 0; i < 200 && sharedMemoryAttachments(key) > 0; i++) await sleep(25);
  }

  #remove(): void {
    if (this.#removed) return;
    this.#removed = true;
    cleanupRegistry.delete(this);
    if (this.#watchdog !== undefined) {
      try {
        process.kill(this.#watchdog, 'SIGTERM');
      } catch {
        // The watchdog already exited.
      }
    }
    rmSync(this.#root, { recursive: true, force: true, maxRetries: 5 });
  }

  #failure(message: string): StrataError {
    const logTail = this.logTail();
    return new StrataError('STORE_FAILURE', `${message}\n--- server log (${this.logFile}) ---\n${logTail}`, {
      details: { dataDir: this.dataDir, logFile: this.logFile, logTail, port: this.#port },
    });
  }
}
