import { describe, expect, it } from 'vitest';
import { compileSchema } from './json-schema.js';

const validate = compileSchema<{ owner: string; amount?: number }>({
  type: 'object',
  properties: {
    owner: { type: 'string', minLength: 1, maxLength: 5, pattern: '^[a-z]+$' },
    amount: { type: 'integer', minimum: 1, maximum: 100 },
  },
  required: ['owner'],
});

function codeOf(value: unknown): string | undefined {
  try {
    validate(value);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('compileSchema', () => {
  it('accepts values of the schema', () => {
    expect(validate({ owner: 'ada' })).toEqual({ owner: 'ada' });
    expect(validate({ owner: 'ada', amount: 100 })).toEqual({ owner: 'ada', amount: 100 });
  });

  it('refuses other types, bounds, patterns and missing properties', () => {
    for (const bad of [null, [], 'ada', 1, {}, { owner: '' }, { owner: 'toolong' }, { owner: 'Ada' }, { owner: 'ada', amount: 0 }, { owner: 'ada', amount: 101 }, { owner: 'ada', amount: 1.5 }, { owner: 'ada', amount: '5' }]) {
      expect(codeOf(bad), JSON.stringify(bad)).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses unknown properties, prototype-pollution keys included', () => {
    expect(codeOf({ owner: 'ada', extra: 1 })).toBe('VALIDATION_FAILED');
    expect(codeOf(JSON.parse('{"owner":"ada","__proto__":{"x":1}}'))).toBe('VALIDATION_FAILED');
    expect(codeOf(JSON.parse('{"owner":"ada","constructor":{"prototype":{"x":1}}}'))).toBe('VALIDATION_FAILED');
  });

  it('does not read inherited properties', () => {
    const inherited = Object.create({ owner: 'ada' }) as object;
    expect(codeOf(inherited)).toBe('VALIDATION_FAILED');
  });
});
