import { isStrataError } from '@strata/core';
import { UsageError } from '../errors/cli-errors.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';

/** Exit codes of `strata`. */
export const ExitCodes = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

/**
 * Runs `strata` with `argv` (the arguments after the program name) against `commands`, and
 * resolves with the exit code: 0 done, 1 failed (a `code: message` line on stderr), 2 bad usage
 * (the message and the command's usage on stderr). Never rejects.
 */
export async function runCli(argv: readonly string[], commands: readonly Command[], io: CliIo, version: string): Promise<number> {
  const [name, ...rest] = argv;
  const usage = topUsage(commands);
  if (name === undefined) {
    io.stderr.write(usage);
    return ExitCodes.USAGE;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(topic?.usage ?? usage);
    return ExitCodes.OK;
  }
  if (name === '-v' || name === '--version') {
    io.stdout.write(`${version}\n`);
    return ExitCodes.OK;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (command === undefined) throw new UsageError(`unknown command '${name}'`);
    if (rest.includes('-h') || rest.includes('--help')) {
      io.stdout.write(command.usage);
      return ExitCodes.OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    return report(error, commands, usage, io);
  }
}

function report(error: unknown, commands: readonly Command[], usage: string, io: CliIo): number {
  if (error instanceof UsageError) {
    const command = commands.find((c) => c.name === error.command);
    io.stderr.write(`${error.code}: ${error.message}\n\n${command?.usage ?? usage}`);
    return ExitCodes.USAGE;
  }
  if (io.signal.aborted && (isAbort(error) || error === io.signal.reason)) {
    io.stderr.write('interrupted\n');
    return ExitCodes.FAILURE;
  }
  if (isStrataError(error)) {
    io.stderr.write(`${error.code}: ${error.message}\n`);
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    if (cause !== undefined && cause !== error.message) io.stderr.write(`  cause: ${cause}\n`);
    return ExitCodes.FAILURE;
  }
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'ERROR';
  io.stderr.write(`${code}: ${error instanceof Error ? error.message : String(error)}\n`);
  return ExitCodes.FAILURE;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function topUsage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: strata <command> [options]

${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

  strata <command> --help    options of a command
  strata --version           the CLI's version

Exit codes: 0 ok, 1 failure (printed as 'CODE: message'), 2 bad usage.
`;
}
