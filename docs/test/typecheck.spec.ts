import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const DOCS = fileURLToPath(new URL('..', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// Every code sample of the docs is a file under examples/; this compiles them, strictly, against
// the built packages, so a sample that no longer matches an API fails the test run.
it('the documentation examples type-check against the built packages', () => {
  let output = '';
  try {
    execFileSync(process.execPath, [TSC, '-p', DOCS, '--noEmit'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  expect(output).toBe('');
});
