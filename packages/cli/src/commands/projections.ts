import type { Command } from '../cli/command.js';
import { expectPositionals, flag, parseCommandArgs, requiredString, type OptionSpecs } from '../cli/parse-command-args.js';
import { InvalidArgumentError } from '@strata/core';
import { UsageError } from '../errors/cli-errors.js';
import { formatCount, formatTable, toJson } from '../output/format.js';
import { createProgress } from '../output/progress.js';
import type { ProjectionReport } from '../projections/projection-report.js';

const USAGE = `usage: strata projections status|rebuild --config <module> [options]

  strata projections status --config <module>          each projection's position, lag, generation,
                                                       a rebuild under way, dead letters (runs nothing)
  strata projections rebuild <name> --config <module>  rebuilds one projection blue/green: a new sink
                                                       generation is built from the start of the log
                                                       while the live one serves reads, then promoted

While it rebuilds, the projection runs in this process (and applies new events to the live generation):
stop the application's runner of that projection first, or configure leases, so that two runners never
apply the same events. With leases the rebuild runs only if this process can take the projection's lease.

The config module (a path or a file: URL) default-exports the options of createProjectionRunner
(@strata/projections), or a function (sync or async) returning them, with an optional close():

  export default async () => {
    const store = await createLmdbEventStore({ path: 'data/events' });
    return { store, checkpoints: store.checkpoints, projections: [balances], close: () => store.close() };
  };

The application can import the same function to build its own runner, so both see the same
projections.

options:
  --config <module>   the config module
  --json              print JSON instead of text
  -h, --help          this text
`;

const OPTIONS: OptionSpecs = { config: { type: 'string' }, json: { type: 'boolean' } };

/** `strata projections`. */
export const projectionsCommand: Command = {
  name: 'projections',
  summary: 'projection status and blue/green rebuilds (from a --config module)',
  usage: USAGE,
  async run(argv, io) {
    const args = parseCommandArgs(argv, OPTIONS, 'projections');
    const [action] = args.positionals;
    if (action !== 'status' && action !== 'rebuild') {
      throw new UsageError(action === undefined ? 'missing status or rebuild' : `unknown action '${action}'`, 'projections');
    }
    expectPositionals(args, action === 'rebuild' ? 2 : 1, 'the name of the projection to rebuild', 'projections');
    const configPath = requiredString(args, 'config', 'projections');
    const [{ loadProjectionsConfig }, { readProjectionReports }] = await Promise.all([
      import('../projections/load-config.js'),
      import('../projections/projection-report.js'),
    ]);
    const config = await loadProjectionsConfig(configPath, process.cwd());
    try {
      if (action === 'status') {
        const report = await readProjectionReports(config);
        io.stdout.write(flag(args, 'json') ? toJson(report) : renderStatus(report.head, report.projections));
        return 0;
      }
      const name = args.positionals[1]!;
      const { createProjectionRunner, defineProjection } = await import('@strata/projections');
      // Only the projection being rebuilt runs here: the others' handlers (and their side effects) stay in the application.
      const definition = config.projections.find((p) => defineProjection(p as Parameters<typeof defineProjection>[0]).name === name);
      if (definition === undefined) throw new InvalidArgumentError('name', `no projection named '${name}' in ${configPath}`);
      const runner = createProjectionRunner({ ...config, projections: [definition] });
      const progress = createProgress(io.stderr, { label: `rebuild ${name}`, unit: 'positions' });
      await runner.start();
      const head = await config.store.headPosition();
      const timer = setInterval(() => {
        void runner.status().then((all) => {
          const rebuilding = all.find((s) => s.name === name)?.rebuilding;
          if (rebuilding !== undefined) progress.update(rebuilding.position + 1, head + 1);
        });
      }, 200);
      try {
        await runner.rebuild(name);
        progress.update(head + 1, head + 1);
        progress.finish();
      } finally {
        clearInterval(timer);
        await runner.stop();
      }
      const after = (await readProjectionReports(config)).projections.find((p) => p.name === name);
      if (flag(args, 'json')) io.stdout.write(toJson({ rebuilt: name, projection: after ?? null }));
      else io.stdout.write(`rebuilt ${name}: generation ${after?.liveGeneration ?? '?'} is live at position ${after?.position ?? '-'}\n`);
      return 0;
    } finally {
      await config.close?.();
    }
  },
};

function renderStatus(head: number, projections: readonly ProjectionReport[]): string {
  const rows = projections.map((p) => [
    p.name,
    p.mode,
    p.position === null ? '-' : String(p.position),
    formatCount(p.lag),
    p.sink ? String(p.liveGeneration) : '-',
    p.building === null ? '' : `generation ${p.building.generation} at ${p.building.position ?? '-'}`,
    p.deadLetters === null ? '-' : String(p.deadLetters),
  ]);
  return `head position: ${head}\n\n${formatTable(['projection', 'mode', 'position', 'lag', 'generation', 'rebuilding', 'dead letters'], rows)}`;
}
