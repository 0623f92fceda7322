/**
 * The benchmark CLI: `node bench/dist/run.js [--quick] [--suite <id>] [--save-baseline]
 * [--report | --no-report] [--json-only]`. See `bench/README.md` and `--help`.
 */
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2));
