/** What `strata-top` was asked to do. */
export type TopArgs =
  | { help: true }
  | { help: false; url: string; once: boolean; color: boolean | undefined };

/** Usage text of `strata-top`. */
export const TOP_USAGE = `usage: strata-top [url] [--once] [--no-color]

Shows a live text view of a Strata monitor.

  url          the monitor's base URL (default http://127.0.0.1:9464), e.g.
               http://127.0.0.1:3000/monitor when it is mounted in an application
  --once       print one screen and exit
  --no-color   plain text, no ANSI colours
  -h, --help   this text
`;

/**
 * Parses `strata-top`'s arguments.
 * @throws Error with a message for the user on an unknown option or a second URL.
 */
export function parseTopArgs(argv: readonly string[]): TopArgs {
  let url: string | undefined;
  let once = false;
  let color: boolean | undefined;
  for (const arg of argv) {
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--once') once = true;
    else if (arg === '--no-color') color = false;
    else if (arg === '--color') color = true;
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (url === undefined) url = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  return { help: false, url: url ?? 'http://127.0.0.1:9464', once, color };
}
