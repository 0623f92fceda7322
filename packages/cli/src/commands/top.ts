import type { Command } from '../cli/command.js';
import { UsageError } from '../errors/cli-errors.js';

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[?25l';
const ALT_SCREEN_OFF = '\x1b[?25h\x1b[?1049l';

/** `strata top`: the terminal monitor of `@strata/monitoring` (the same as its `strata-top` binary). */
export const topCommand: Command = {
  name: 'top',
  summary: 'live terminal view of a running application\'s monitor',
  usage: `usage: strata top [url] [--once] [--no-color]

Shows a live text view of a Strata monitor (the same view as @strata/monitoring's strata-top).

  url          the monitor's base URL (default http://127.0.0.1:9464), e.g.
               http://127.0.0.1:3000/monitor when it is mounted in an application
  --once       print one screen and exit
  --no-color   plain text, no ANSI colours
  -h, --help   this text
`,
  async run(argv, io) {
    const { parseTopArgs, runStrataTop } = await import('@strata/monitoring');
    let args;
    try {
      args = parseTopArgs(argv);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error), 'top');
    }
    if (args.help) {
      io.stdout.write(this.usage);
      return 0;
    }
    // NO_COLOR (no-color.org) applies unless --color asks for colours explicitly.
    const color = args.color ?? (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '' ? false : undefined);
    const fullScreen = io.stdout.isTTY === true && !args.once;
    if (fullScreen) io.stdout.write(ALT_SCREEN_ON);
    try {
      await runStrataTop({
        url: args.url,
        once: args.once,
        signal: io.signal,
        output: io.stdout,
        ...(color === undefined ? {} : { color }),
      });
    } finally {
      if (fullScreen) io.stdout.write(ALT_SCREEN_OFF);
    }
    return 0;
  },
};
