/** How a running server is shut down: PostgreSQL's smart, fast or immediate (crash-like, recovery on next start) mode. */
export type StopMode = 'smart' | 'fast' | 'immediate';

/** How {@link PostgresServer.kill} ends the server: an immediate shutdown, or SIGKILL to every server process. */
export type KillMode = 'immediate' | 'SIGKILL';

/** Where to reach a server: what a test needs to connect. */
export type PostgresConnectionInfo = {
  /** `postgresql://<user>@127.0.0.1:<port>/<database>` (no password: trust authentication). */
  readonly connectionString: string;
  /** Always `127.0.0.1`: the server listens on loopback only. */
  readonly host: string;
  /** The TCP port (also the number in the unix socket's file name). */
  readonly port: number;
  /** The database created for the caller. */
  readonly database: string;
  /** The superuser; trust authentication, no password. */
  readonly user: string;
  /** Directory of the server's unix socket (usable as `host` by libpq and `pg`). */
  readonly socketDir: string;
};

/** A throwaway PostgreSQL server started by {@link startPostgres}. */
export interface PostgresServer extends PostgresConnectionInfo {
  /** The server's data directory (inside the temp directory). */
  readonly dataDir: string;
  /** The server's log file. */
  readonly logFile: string;
  /** The server version, e.g. `15.13`. */
  readonly version: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** Starts the server again on the same data directory and port (after `stop({ keepData: true })`, `kill` or a crash). */
  start(): Promise<void>;
  /**
   * Shuts the server down (default mode `fast`). Unless `keepData` is true, also removes the temp
   * directory, after which the server cannot be started again. Idempotent.
   */
  stop(options?: { mode?: StopMode; keepData?: boolean }): Promise<void>;
  /** Shuts down (default mode `fast`) and starts again, keeping the data. */
  restart(options?: { mode?: StopMode }): Promise<void>;
  /** Ends the server abruptly, keeping the data for a later `start()` (default `immediate`). */
  kill(mode?: KillMode): Promise<void>;
  /** The last `lines` lines of the server log (default 40). */
  logTail(lines?: number): string;
}
