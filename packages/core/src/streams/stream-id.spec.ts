import { describe, expect, it } from 'vitest';
import { validateStreamId, streamCategory } from './stream-id.js';
import { isStrataError } from '../errors/strata-error.js';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return isStrataError(error) ? error.code : 'NOT_STRATA';
  }
}

describe('validateStreamId', () => {
  it.each(['account-42', 'account-a-b-c', 'bank.account-x', 'A_1-é'])('accepts %s', (id) => {
    expect(codeOf(() => validateStreamId(id))).toBeUndefined();
  });

  it.each([
    ['no dash', 'account'],
    ['empty id', 'account-'],
    ['empty category', '-42'],
    ['digit first', '1account-1'],
    ['space in category', 'acc ount-1'],
    ['control char', 'account-4\u00002'],
    ['lone surrogate', 'account-\ud800'],
    ['too long', `account-${'x'.repeat(300)}`],
  ])('rejects %s', (_name, id) => {
    expect(codeOf(() => validateStreamId(id))).toBe('INVALID_ARGUMENT');
  });

  it('rejects non-strings', () => {
    expect(codeOf(() => validateStreamId(42))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => validateStreamId(undefined))).toBe('INVALID_ARGUMENT');
  });

  it('takes the category before the first dash', () => {
    expect(streamCategory('account-a-b')).toBe('account');
  });
});
