import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { UsageError } from '../errors/cli-errors.js';
import { expectPositionals, integerOption, parseCommandArgs, requiredString } from './parse-command-args.js';

const OPTIONS = { store: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } } as const;

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect(isStrataError(error)).toBe(true);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandArgs', () => {
  it('parses options and positionals', () => {
    const args = parseCommandArgs(['streams', '--store', 'x', '--limit=5', '--json'], OPTIONS, 'inspect');
    expect(args.positionals).toEqual(['streams']);
    expect(requiredString(args, 'store', 'inspect')).toBe('x');
    expect(integerOption(args, 'limit', 'inspect', { min: 1, fallback: 100 })).toBe(5);
  });

  it('turns unknown options and missing values into USAGE errors naming the command', () => {
    expect(usageError(() => parseCommandArgs(['--nope'], OPTIONS, 'inspect'))).toMatchObject({ code: 'USAGE', command: 'inspect' });
    expect(usageError(() => parseCommandArgs(['--store'], OPTIONS, 'inspect')).code).toBe('USAGE');
    const empty = parseCommandArgs([], OPTIONS, 'inspect');
    expect(usageError(() => requiredString(empty, 'store', 'inspect')).message).toContain('--store');
  });

  it('refuses integers out of range or malformed', () => {
    for (const raw of ['0', '-1', '1.5', 'ten', '1e3', '99999999999999999999']) {
      const args = parseCommandArgs([`--limit=${raw}`], OPTIONS, 'inspect');
      expect(usageError(() => integerOption(args, 'limit', 'inspect', { min: 1, max: 1_000_000, fallback: 1 })).code, raw).toBe('USAGE');
    }
  });

  it('checks the number of positionals', () => {
    const args = parseCommandArgs(['stream', 'a-1', 'extra'], OPTIONS, 'inspect');
    expect(usageError(() => expectPositionals(args, 2, 'a stream id', 'inspect')).message).toContain('extra');
    expect(usageError(() => expectPositionals(parseCommandArgs(['stream'], OPTIONS, 'inspect'), 2, 'a stream id', 'inspect')).message).toContain('stream id');
  });
});
