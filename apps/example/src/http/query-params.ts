import { ApiError } from '../errors/api-error.js';

/** Reads a URL's query parameters, refusing any not in `allowed` and any given twice. */
export function queryParams(url: URL, allowed: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!allowed.includes(name)) throw new ApiError(400, 'VALIDATION_FAILED', `${name.slice(0, 64)} is not an accepted query parameter`);
    if (params.has(name)) throw new ApiError(400, 'VALIDATION_FAILED', `${name} is given more than once`);
    params.set(name, value);
  }
  return params;
}

/** An integer query parameter within bounds, or `fallback` when absent. */
export function intParam(params: Map<string, string>, name: string, min: number, max: number, fallback?: number): number | undefined {
  const raw = params.get(name);
  if (raw === undefined) return fallback;
  const value = /^-?\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ApiError(400, 'VALIDATION_FAILED', `${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** A string query parameter matching `pattern`, or `undefined` when absent. */
export function stringParam(params: Map<string, string>, name: string, pattern: RegExp): string | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (!pattern.test(raw)) throw new ApiError(400, 'VALIDATION_FAILED', `${name} must match ${pattern.source}`);
  return raw;
}
