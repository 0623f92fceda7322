import { describe, expect, it } from 'vitest';
import { Router } from './router.js';

const router = new Router<string>().add('GET', '/accounts/:accountId', 'get').add('POST', '/accounts/:accountId/deposits', 'deposit').add('GET', '/accounts', 'list');

function codeOf(method: string, path: string): string | undefined {
  try {
    router.match(method, path);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('Router', () => {
  it('matches exact segments and captures ids', () => {
    expect(router.match('GET', '/accounts/a-1')).toMatchObject({ handler: 'get', params: { accountId: 'a-1' }, route: '/accounts/:accountId' });
    expect(router.match('POST', '/accounts/a_1/deposits').handler).toBe('deposit');
    expect(router.match('GET', '/accounts').handler).toBe('list');
    expect(router.match('HEAD', '/accounts').handler).toBe('list');
  });

  it('refuses ids outside the id pattern, unknown paths and other methods', () => {
    expect(codeOf('GET', "/accounts/1' OR '1'='1")).toBe('NOT_FOUND');
    expect(codeOf('GET', '/accounts/..%2f..')).toBe('NOT_FOUND');
    expect(codeOf('GET', `/accounts/${'x'.repeat(65)}`)).toBe('NOT_FOUND');
    expect(codeOf('GET', '/accounts/a/b/c')).toBe('NOT_FOUND');
    expect(codeOf('DELETE', '/accounts/a')).toBe('METHOD_NOT_ALLOWED');
  });

  it('captures parameters in an object without a prototype', () => {
    const { params } = router.match('GET', '/accounts/constructor');
    expect(params.accountId).toBe('constructor');
    expect(Object.getPrototypeOf(params)).toBeNull();
  });
});
