import { tmpdir } from 'node:os';
import { InvalidArgumentError } from '@strata/core';

/** Options of {@link startPostgres}. */
export type StartPostgresOptions = {
  /**
   * Directory of the PostgreSQL programs. Default: the `STRATA_PG_BIN` environment variable, else
   * the newest `/usr/lib/postgresql/<major>/bin`, else the directory of `postgres` on `PATH`.
   */
  binDir?: string;
  /** Database created for the caller. Default `strata_test`. */
  database?: string;
  /** The superuser (trust authentication on loopback and the socket, no password). Default `postgres`. */
  user?: string;
  /** TCP port on 127.0.0.1. Default: a free port picked by the OS. */
  port?: number;
  /**
   * Turns `fsync`, `synchronous_commit` and `full_page_writes` off for speed. Default `false`:
   * durability and fault tests need the defaults, because with `fast` a commit is acknowledged
   * before its WAL is written, so `kill()` or an immediate stop can lose acknowledged commits.
   */
  fast?: boolean;
  /** Extra server settings (`postgresql.conf` names), passed as `-c name=value`. */
  settings?: Record<string, string | number | boolean>;
  /** How long to wait for the server to accept connections, in ms. Default 30,000. */
  startTimeoutMs?: number;
  /** OS user to run the server as when this process is root (PostgreSQL refuses root). Default `postgres`. */
  osUser?: string;
  /** Where the temp directory is created. Default the OS temp directory. */
  baseDir?: string;
  /**
   * Start a detached watchdog that removes the server if this process is killed without running
   * its exit handlers (kill -9). Default `true`.
   */
  watchdog?: boolean;
};

/** Options with defaults applied. */
export type ResolvedPostgresOptions = {
  binDir: string | undefined;
  database: string;
  user: string;
  port: number | undefined;
  fast: boolean;
  settings: Record<string, string>;
  startTimeoutMs: number;
  osUser: string;
  baseDir: string;
  watchdog: boolean;
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const SETTING = /^[a-z_][a-z0-9_.]*$/;

function identifier(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new InvalidArgumentError(`options.${name}`, 'expected a lowercase identifier (letters, digits, _; at most 63)');
  }
  return value;
}

function optionalString(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
    throw new InvalidArgumentError(`options.${name}`, 'expected a non-empty string');
  }
  return value;
}

function optionalBoolean(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw new InvalidArgumentError(`options.${name}`, 'expected a boolean');
  return value ?? fallback;
}

/** Validates the options of `startPostgres` and applies defaults; fails with `INVALID_ARGUMENT` naming the option. */
export function resolvePostgresOptions(options: StartPostgresOptions = {}): ResolvedPostgresOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected an object');
  const { port, startTimeoutMs, settings = {} } = options;
  if (port !== undefined && !(Number.isSafeInteger(port) && port >= 1024 && port <= 65535)) {
    throw new InvalidArgumentError('options.port', 'expected an integer from 1024 to 65535');
  }
  if (startTimeoutMs !== undefined && !(Number.isSafeInteger(startTimeoutMs) && startTimeoutMs > 0)) {
    throw new InvalidArgumentError('options.startTimeoutMs', 'expected a positive integer');
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new InvalidArgumentError('options.settings', 'expected an object of setting names to values');
  }
  const resolvedSettings: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) {
    if (!SETTING.test(name)) throw new InvalidArgumentError(`options.settings.${name}`, 'expected a lowercase setting name');
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new InvalidArgumentError(`options.settings.${name}`, 'expected a string, number or boolean');
    }
    resolvedSettings[name] = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
  }
  return {
    binDir: optionalString('binDir', options.binDir),
    database: identifier('database', options.database, 'strata_test'),
    user: identifier('user', options.user, 'postgres'),
    port,
    fast: optionalBoolean('fast', options.fast, false),
    settings: resolvedSettings,
    startTimeoutMs: startTimeoutMs ?? 30_000,
    osUser: optionalString('osUser', options.osUser) ?? 'postgres',
    baseDir: optionalString('baseDir', options.baseDir) ?? tmpdir(),
    watchdog: optionalBoolean('watchdog', options.watchdog, true),
  };
}

/** The `-c name=value` settings the server starts with. */
export function serverSettings(options: ResolvedPostgresOptions, port: number, socketDir: string): Record<string, string> {
  return {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketDir,
    // Tests open many short connections; JIT only costs them time.
    jit: 'off',
    max_connections: '100',
    ...(options.fast ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...options.settings,
  };
}
