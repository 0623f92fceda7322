import { ApiError } from '../errors/api-error.js';

/**
 * The subset of JSON Schema the API's bodies use. Objects are closed: a property the schema does
 * not list is refused (that is also what stops `__proto__`, `constructor` and other
 * prototype-pollution keys).
 */
export type JsonSchema =
  | { type: 'object'; properties: Record<string, JsonSchema>; required?: readonly string[] }
  | { type: 'string'; minLength?: number; maxLength?: number; pattern?: string; enum?: readonly string[] }
  | { type: 'integer'; minimum?: number; maximum?: number };

/** A compiled validator: returns the value typed, or throws a 400 `VALIDATION_FAILED` naming the first bad field. */
export type Validator<T> = (value: unknown) => T;

type Check = (value: unknown, path: string) => string | undefined;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function compileNode(schema: JsonSchema): Check {
  switch (schema.type) {
    case 'object': {
      const entries = Object.entries(schema.properties).map(([name, child]) => [name, compileNode(child)] as const);
      const known = new Set(Object.keys(schema.properties));
      const required = schema.required ?? [];
      return (value, path) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${path || 'body'} must be an object, not ${describe(value)}`;
        for (const key of Object.keys(value)) {
          if (!known.has(key)) return `${path ? `${path}.` : ''}${key.slice(0, 64)} is not an accepted property`;
        }
        for (const name of required) {
          if (!Object.hasOwn(value, name)) return `${path ? `${path}.` : ''}${name} is required`;
        }
        for (const [name, check] of entries) {
          if (!Object.hasOwn(value, name)) continue;
          const problem = check((value as Record<string, unknown>)[name], path ? `${path}.${name}` : name);
          if (problem !== undefined) return problem;
        }
        return undefined;
      };
    }
    case 'string': {
      const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern, 'u');
      const allowed = schema.enum === undefined ? undefined : new Set(schema.enum);
      return (value, path) => {
        if (typeof value !== 'string') return `${path} must be a string, not ${describe(value)}`;
        if (schema.minLength !== undefined && value.length < schema.minLength) return `${path} must have at least ${schema.minLength} characters`;
        if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${path} must have at most ${schema.maxLength} characters`;
        if (pattern !== undefined && !pattern.test(value)) return `${path} must match ${schema.pattern}`;
        if (allowed !== undefined && !allowed.has(value)) return `${path} must be one of ${[...allowed].join(', ')}`;
        return undefined;
      };
    }
    case 'integer':
      return (value, path) => {
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${path} must be an integer, not ${describe(value)}`;
        if (schema.minimum !== undefined && value < schema.minimum) return `${path} must be at least ${schema.minimum}`;
        if (schema.maximum !== undefined && value > schema.maximum) return `${path} must be at most ${schema.maximum}`;
        return undefined;
      };
  }
}

/** Compiles `schema` once into a validator (schemas are fixed at startup; validation is per request). */
export function compileSchema<T>(schema: JsonSchema): Validator<T> {
  const check = compileNode(schema);
  return (value) => {
    const problem = check(value, '');
    if (problem !== undefined) throw new ApiError(400, 'VALIDATION_FAILED', problem);
    return value as T;
  };
}
