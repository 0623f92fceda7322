/** A stream the CLI writes to: what it needs of `process.stdout` / `process.stderr`. */
export type CliOutput = {
  write(text: string): unknown;
  /** True when the stream is a terminal (progress bars and colours are drawn only then). */
  readonly isTTY?: boolean;
  readonly columns?: number;
};

/** Where a command reads and writes; the process's streams in the `strata` binary, buffers in tests. */
export type CliIo = {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT/SIGTERM: long commands stop at the next safe point. */
  readonly signal: AbortSignal;
};
