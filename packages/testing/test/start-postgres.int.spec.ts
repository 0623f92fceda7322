import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { isStrataError } from '@strata/core';
import { postgresGlobalSetup, startPostgres, type PostgresConnectionInfo, type PostgresServer } from '../src/index.js';

const started: PostgresServer[] = [];
afterAll(async () => {
  for (const server of started) await server.stop();
});

async function launch(options: Parameters<typeof startPostgres>[0] = {}): Promise<PostgresServer> {
  const server = await startPostgres(options);
  started.push(server);
  return server;
}

async function query<T extends pg.QueryResultRow>(target: string | pg.ClientConfig, sql: string, values: unknown[] = []) {
  const client = new pg.Client(typeof target === 'string' ? { connectionString: target } : target);
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function connectError(connectionString: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'ERROR';
  }
}

/** Polls until `check` holds or the bound is reached; returns the last verdict (a wait for an outcome, not a timing assertion). */
async function eventually(check: () => boolean, boundMs = 15_000): Promise<boolean> {
  const until = Date.now() + boundMs;
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  return check();
}

describe('startPostgres', () => {
  it('starts a server that accepts queries over TCP and the unix socket, with fsync on by default', async () => {
    const server = await launch();
    expect(server.connectionString).toBe(`postgresql://postgres@127.0.0.1:${server.port}/strata_test`);
    expect(server).toMatchObject({ host: '127.0.0.1', database: 'strata_test', user: 'postgres', running: true });
    expect(existsSync(join(server.dataDir, 'PG_VERSION'))).toBe(true);
    expect(server.version).toMatch(/^\d+/);
    const [who] = await query<{ user: string; db: string }>(server.connectionString, 'SELECT current_user AS user, current_database() AS db');
    expect(who).toEqual({ user: 'postgres', db: 'strata_test' });
    expect(await query(server.connectionString, 'SHOW fsync')).toEqual([{ fsync: 'on' }]);
    const viaSocket = await query({ host: server.socketDir, port: server.port, user: server.user, database: server.database }, 'SELECT 1 AS one');
    expect(viaSocket).toEqual([{ one: 1 }]);
  });

  it('keeps committed data across an immediate stop, a SIGKILL of every server process and a restart', async () => {
    // Default (durable) settings: with `fast`, commits acknowledged before the WAL write may be lost.
    const server = await launch();
    await query(server.connectionString, 'CREATE TABLE facts (n int PRIMARY KEY)');
    await query(server.connectionString, 'INSERT INTO facts VALUES (1)');
    const port = server.port;

    await server.stop({ mode: 'immediate', keepData: true });
    expect(server.running).toBe(false);
    expect(await connectError(server.connectionString)).toBe('ECONNREFUSED');
    await server.start();
    expect(server.port).toBe(port);
    await query(server.connectionString, 'INSERT INTO facts VALUES (2)');

    await server.kill('SIGKILL');
    expect(await connectError(server.connectionString)).toBe('ECONNREFUSED');
    await server.start();
    await query(server.connectionString, 'INSERT INTO facts VALUES (3)');

    await server.kill('immediate');
    await server.restart();
    expect(await query(server.connectionString, 'SELECT n FROM facts ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('removes everything on stop(); stop is idempotent and the server cannot start again', async () => {
    const server = await startPostgres({ fast: true, database: 'postgres', user: 'tester' });
    const root = dirname(server.dataDir);
    const settings = await query(server.connectionString, "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name");
    expect(settings).toEqual([
      { name: 'fsync', setting: 'off' },
      { name: 'full_page_writes', setting: 'off' },
      { name: 'synchronous_commit', setting: 'off' },
    ]);
    expect(await query(server.connectionString, 'SELECT current_user AS u')).toEqual([{ u: 'tester' }]);
    await server.stop();
    expect(existsSync(root)).toBe(false);
    expect(server.running).toBe(false);
    expect(await connectError(server.connectionString)).toBe('ECONNREFUSED');
    await server.stop();
    const error = await server.start().catch((e: unknown) => e);
    expect(isStrataError(error, 'STORE_CLOSED')).toBe(true);
  });

  it('fails with STORE_FAILURE carrying the server log, and leaves nothing behind, when the server cannot start', async () => {
    const error = await startPostgres({ settings: { shared_buffers: 'plenty' } }).catch((e: unknown) => e);
    expect(isStrataError(error, 'STORE_FAILURE')).toBe(true);
    const details = (error as { details: { logTail: string; dataDir: string } }).details;
    expect(details.logTail).toContain('shared_buffers');
    expect((error as Error).message).toContain('shared_buffers');
    expect(existsSync(dirname(details.dataDir))).toBe(false);
  });

  it('refuses invalid options with INVALID_ARGUMENT', async () => {
    for (const options of [{ port: 80 }, { database: 'Bad-Name' }, { fast: 'yes' }, { settings: { 'bad name': 1 } }, { startTimeoutMs: 0 }]) {
      const error = await startPostgres(options as never).catch((e: unknown) => e);
      expect(isStrataError(error, 'INVALID_ARGUMENT'), JSON.stringify(options)).toBe(true);
    }
  });

  it('provides one server to a test run through postgresGlobalSetup and removes it in teardown', async () => {
    const provided = new Map<string, unknown>();
    const setup = postgresGlobalSetup({ fast: true, envVar: 'STRATA_SPEC_PG_URL' });
    const teardown = await setup({ provide: (key: never, value: never) => void provided.set(key, value) });
    const info = provided.get('strataPostgres') as PostgresConnectionInfo;
    expect(process.env['STRATA_SPEC_PG_URL']).toBe(info.connectionString);
    expect(await query(info.connectionString, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
    await teardown();
    expect(existsSync(info.socketDir)).toBe(false);
    expect(process.env['STRATA_SPEC_PG_URL']).toBeUndefined();
  });
});

describe('startPostgres never leaves a server behind', () => {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const script = `
    const { startPostgres } = await import(${JSON.stringify(dist)});
    const server = await startPostgres({ fast: true });
    process.stdout.write(JSON.stringify({ root: server.socketDir.replace(/\\/socket$/, ''), url: server.connectionString }) + '\\n');
    if (process.argv[1] === 'exit') process.exit(0);
    setInterval(() => {}, 1000);
  `;

  /** Runs a child process that starts a server, and returns it with the server it reported. */
  async function child(mode: 'exit' | 'hold') {
    expect(existsSync(dist), 'these cases run the built package: build @strata/testing first').toBe(true);
    const proc = spawn(process.execPath, ['--input-type=module', '-e', script, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | string | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
    let output = '';
    const line = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\n')) resolve(output.split('\n')[0]!);
      });
      proc.once('exit', () => reject(new Error(`child exited before reporting a server: ${output}`)));
    });
    return { proc, exited, reported: JSON.parse(line) as { root: string; url: string } };
  }

  it('cleans up at process exit', async () => {
    const { exited, reported } = await child('exit');
    expect(await exited).toBe(0);
    expect(existsSync(reported.root)).toBe(false);
    expect(await connectError(reported.url)).toBe('ECONNREFUSED');
  });

  it('cleans up on SIGTERM and still exits by the signal', async () => {
    const { proc, exited, reported } = await child('hold');
    proc.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(existsSync(reported.root)).toBe(false);
    expect(await connectError(reported.url)).toBe('ECONNREFUSED');
  });

  it('cleans up through the watchdog when the process is killed outright', async () => {
    const { proc, exited, reported } = await child('hold');
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await eventually(() => !existsSync(reported.root)), 'the watchdog removed the server').toBe(true);
    expect(await connectError(reported.url)).toBe('ECONNREFUSED');
  });
});
