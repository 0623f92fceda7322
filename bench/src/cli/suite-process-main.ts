/**
 * Entry point of a suite process (see `suite-process.ts`):
 * `node suite-process-main.js <suite module file> --quick|--full [<folder for temporary directories>]`.
 */
import { pathToFileURL } from 'node:url';
import { runSuite } from '../harness/run-suite.js';
import type { Suite } from '../harness/types.js';
import { describeError } from './describe-error.js';
import type { SuiteProcessMessage } from './suite-process.js';

async function main(): Promise<SuiteProcessMessage> {
  const [file, mode, tmpRoot] = process.argv.slice(2);
  if (!file) return { type: 'error', error: 'no suite module given' };
  try {
    const module = (await import(pathToFileURL(file).href)) as { default: Suite };
    const run = await runSuite(module.default, {
      quick: mode === '--quick',
      ...(tmpRoot ? { tmpRoot } : {}),
      onProgress: (line) => process.stderr.write(`  ${line}\n`),
    });
    return { type: 'result', run };
  } catch (error) {
    return { type: 'error', error: describeError(error) };
  }
}

const message = await main();
if (process.send) {
  // Exit once the message is out: a suite that leaves a handle open must not hang the run.
  process.send(message, () => process.exit(0));
} else {
  process.stderr.write(`${JSON.stringify(message, null, 2)}\n`);
  process.exit(message.type === 'result' ? 0 : 1);
}
