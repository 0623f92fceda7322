import type { ErrorCode } from '@strata/core';

/** A class of errors, matched with `instanceof`. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * What {@link DeciderSpecWhen.thenThrows} accepts:
 * - an error code (a Strata `ErrorCode` or any string): matches an error whose `code` equals it;
 * - an error class: matches with `instanceof`;
 * - a `RegExp`: matches the error's message;
 * - a predicate: matches when it returns exactly `true`.
 */
export type ErrorMatcher = ErrorCode | (string & {}) | ErrorClass | RegExp | ((error: unknown) => boolean);

function isErrorClass(matcher: unknown): matcher is ErrorClass {
  if (typeof matcher !== 'function') return false;
  const prototype: unknown = (matcher as { prototype?: unknown }).prototype;
  return matcher === Error || (typeof prototype === 'object' && prototype !== null && prototype instanceof Error);
}

/** Whether `error` satisfies `matcher`; a predicate that returns something other than a boolean is a misuse. */
export function matchesError(error: unknown, matcher: ErrorMatcher): boolean {
  if (typeof matcher === 'string') return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === matcher;
  if (matcher instanceof RegExp) return error instanceof Error && matcher.test(error.message);
  if (isErrorClass(matcher)) return error instanceof matcher;
  const verdict: unknown = (matcher as (error: unknown) => unknown)(error);
  if (typeof verdict !== 'boolean') {
    throw new TypeError(`A thenThrows predicate must return true or false; it returned ${String(verdict)}`);
  }
  return verdict;
}

/** A readable description of a matcher for failure messages. */
export function describeMatcher(matcher: ErrorMatcher | undefined): string {
  if (matcher === undefined) return 'an error';
  if (typeof matcher === 'string') return `an error with code '${matcher}'`;
  if (matcher instanceof RegExp) return `an error whose message matches ${String(matcher)}`;
  if (isErrorClass(matcher)) return `an instance of ${matcher.name}`;
  return `an error satisfying ${matcher.name === '' ? 'the predicate' : matcher.name}`;
}

/** A readable description of a thrown value. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${code === undefined ? '' : ` [${String(code)}]`}: ${error.message}`;
  }
  return `a non-error value: ${String(error)}`;
}
