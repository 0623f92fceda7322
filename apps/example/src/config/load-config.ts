import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '@strata/core';

/** The app's settings, read from the environment by {@link loadConfig}. */
export type BankConfig = {
  /** TCP port (`PORT`, default 3000; 0 picks a free one). */
  port: number;
  /** Interface to bind (`HOST`, default 127.0.0.1). */
  host: string;
  /** Directory of the LMDB store and the read models (`DATA_DIR`, default `./data`). */
  dataDir: string;
  /** PostgreSQL URL (`DATABASE_URL`); when set, events go to PostgreSQL instead of LMDB. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema of the event store (`DATABASE_SCHEMA`, default `bank`). */
  databaseSchema: string;
  /** Bearer token commands must carry (`STRATA_TOKEN`). */
  token: string;
  /** True when the token was generated because `STRATA_TOKEN` was not set. */
  tokenGenerated: boolean;
  /** LMDB durability (`DURABILITY`: `flush`, the default, `commit` or `none`). */
  durability: 'flush' | 'commit' | 'none';
  /** Command worker threads (`WORKERS`, default 2; 0 runs commands in the main thread). */
  workers: number;
  /** Largest request body accepted, in bytes (`MAX_BODY_BYTES`, default 16 KiB). */
  maxBodyBytes: number;
  /** Name of this node in event metadata (`NODE_ID`, default host name and pid). */
  nodeId: string;
};

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(name, `expected an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * Reads the configuration from environment variables; a malformed value fails with
 * `INVALID_ARGUMENT` naming the variable. Without `STRATA_TOKEN`, a random token is generated
 * for the session (the caller prints it).
 */
export function loadConfig(env: Env = process.env): BankConfig {
  const durability = env.DURABILITY ?? 'flush';
  if (durability !== 'flush' && durability !== 'commit' && durability !== 'none') {
    throw new InvalidArgumentError('DURABILITY', 'expected flush, commit or none');
  }
  const schema = env.DATABASE_SCHEMA ?? 'bank';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new InvalidArgumentError('DATABASE_SCHEMA', 'expected a lower-case SQL identifier');
  const givenToken = env.STRATA_TOKEN;
  if (givenToken !== undefined && givenToken !== '' && !/^[\x21-\x7e]{16,256}$/.test(givenToken)) {
    throw new InvalidArgumentError('STRATA_TOKEN', 'expected 16-256 printable ASCII characters without spaces');
  }
  const tokenGenerated = givenToken === undefined || givenToken === '';
  const databaseUrl = env.DATABASE_URL === undefined || env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new InvalidArgumentError('DATABASE_URL', 'expected a postgres:// or postgresql:// URL');
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    host: env.HOST === undefined || env.HOST === '' ? '127.0.0.1' : env.HOST,
    dataDir: env.DATA_DIR === undefined || env.DATA_DIR === '' ? './data' : env.DATA_DIR,
    databaseUrl,
    databaseSchema: schema,
    token: tokenGenerated ? randomBytes(24).toString('base64url') : givenToken!,
    tokenGenerated,
    durability,
    workers: integer(env, 'WORKERS', 2, 0, 64),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 16 * 1024, 256, 1024 * 1024),
    nodeId: env.NODE_ID === undefined || env.NODE_ID === '' ? `node-${process.pid}` : env.NODE_ID,
  };
}
