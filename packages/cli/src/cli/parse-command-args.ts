import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/cli-errors.js';

/** Option definitions in `node:util` `parseArgs` form. */
export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCommandArgs} found. */
export type ParsedArgs = {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
};

/**
 * Parses a command's arguments strictly (unknown options and missing values are errors), turning
 * `parseArgs`'s `TypeError`s into a {@link UsageError} that names the command.
 */
export function parseCommandArgs(argv: readonly string[], options: OptionSpecs, command: string): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), command);
  }
}

/** The string value of a required option. */
export function requiredString(args: ParsedArgs, name: string, command: string): string {
  const value = args.values[name];
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} is required`, command);
  return value;
}

/** The string value of an optional option. */
export function optionalString(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** True when a boolean flag was given. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

const INTEGER = /^-?\d+$/;

/** An integer option within `[min, max]`, or `fallback` when absent. */
export function integerOption(
  args: ParsedArgs,
  name: string,
  command: string,
  range: { min: number; max?: number; fallback: number },
): number {
  const raw = args.values[name];
  if (raw === undefined) return range.fallback;
  return parseInteger(String(raw), `--${name}`, command, range);
}

/** Parses `raw` as an integer within `[min, max]`; `what` names it in the error. */
export function parseInteger(raw: string, what: string, command: string, range: { min: number; max?: number }): number {
  const value = INTEGER.test(raw) ? Number(raw) : Number.NaN;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < range.min || value > max) {
    throw new UsageError(`${what} expects an integer from ${range.min} to ${max}, got '${raw}'`, command);
  }
  return value;
}

/** Fails unless there are exactly `count` positionals. */
export function expectPositionals(args: ParsedArgs, count: number, what: string, command: string): void {
  if (args.positionals.length < count) throw new UsageError(`missing ${what}`, command);
  if (args.positionals.length > count) throw new UsageError(`unexpected argument '${args.positionals[count]}'`, command);
}
