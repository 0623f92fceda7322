import { accessSync, constants, readdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { StrataError } from '@strata/core';

/** Paths of the PostgreSQL programs the launcher runs. */
export type PostgresBinaries = {
  /** The directory holding `postgres` and `initdb`. */
  binDir: string;
  /** The server. */
  postgres: string;
  /** Creates a cluster (data directory). */
  initdb: string;
  /** Probes whether the server accepts connections. */
  pgIsReady: string;
  /** Creates the caller's database. */
  createdb: string;
};

const DEBIAN_ROOT = '/usr/lib/postgresql';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The newest `/usr/lib/postgresql/<major>/bin` holding a server (Debian/Ubuntu layout). */
function newestDebianBinDir(): string | undefined {
  let majors: string[];
  try {
    majors = readdirSync(DEBIAN_ROOT);
  } catch {
    return undefined;
  }
  return majors
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    .map((major) => join(DEBIAN_ROOT, major, 'bin'))
    .find((dir) => isExecutable(join(dir, 'postgres')));
}

function onPath(program: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir.length > 0 && isExecutable(join(dir, program))) return join(dir, program);
  }
  return undefined;
}

/**
 * Finds the PostgreSQL programs: `binDir` when given, else the `STRATA_PG_BIN` environment
 * variable, else the newest `/usr/lib/postgresql/<major>/bin`, else the directory of `postgres` on
 * `PATH` (following symlinks, so the client tools of the same installation are used). Client
 * tools missing beside the server are looked up on `PATH`. Throws `STORE_FAILURE` when no server
 * is found.
 */
export function findPostgresBinaries(binDir?: string): PostgresBinaries {
  const fromPath = onPath('postgres');
  const dir =
    binDir ?? process.env['STRATA_PG_BIN'] ?? newestDebianBinDir() ?? (fromPath === undefined ? undefined : dirname(realpathSync(fromPath)));
  if (dir === undefined || !isExecutable(join(dir, 'postgres')) || !isExecutable(join(dir, 'initdb'))) {
    const where = dir === undefined ? 'anywhere (no STRATA_PG_BIN, no /usr/lib/postgresql/*/bin, no postgres on PATH)' : `in ${dir}`;
    throw new StrataError('STORE_FAILURE', `PostgreSQL server binaries (postgres, initdb) not found ${where}: install PostgreSQL or set STRATA_PG_BIN`, {
      details: { binDir: dir },
    });
  }
  const tool = (name: string) => {
    const beside = join(dir, name);
    if (isExecutable(beside)) return beside;
    const found = onPath(name);
    if (found === undefined) {
      throw new StrataError('STORE_FAILURE', `PostgreSQL client tool ${name} found neither in ${dir} nor on PATH`, { details: { binDir: dir } });
    }
    return found;
  };
  return {
    binDir: dir,
    postgres: join(dir, 'postgres'),
    initdb: join(dir, 'initdb'),
    pgIsReady: tool('pg_isready'),
    createdb: tool('createdb'),
  };
}
