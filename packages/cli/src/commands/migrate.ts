import type { Command } from '../cli/command.js';
import { flag, integerOption, optionalString, parseCommandArgs, requiredString, type OptionSpecs } from '../cli/parse-command-args.js';
import { CliError, CliErrorCodes, UsageError } from '../errors/cli-errors.js';
import { formatCount, formatFields, formatTable, toJson } from '../output/format.js';
import { createProgress } from '../output/progress.js';
import type { OpenedStore } from '../stores/open-store.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

const USAGE = `usage: strata migrate --from <lmdb path> --to <postgres url> [options]

Copies every event of a store into a PostgreSQL store, then verifies the copy.

Preserved: event ids, stream ids, versions, types, schema versions, data, metadata, recorded times,
stream metadata and the global order of events. Positions are assigned by the target (its
positions follow its own ordering model), so subscription checkpoints of the source do not carry
over: rebuild projections against the target. A soft-deleted stream prefix is recreated as
hidden stand-in events and a soft delete, so versions continue as in the source. Not copied:
snapshots (a cache, rebuilt on use), tombstones of hard-deleted streams and streams with no
visible events (neither is readable through the store API).

Resumable: progress is a checkpoint in the target; run the same command again after an
interruption and it continues where it stopped. Re-sent events are recognised by their ids.
Stop writers to the source before the final run; earlier runs may copy while it is live.

options:
  --from <path>      the source store (an LMDB directory, or a postgres:// URL)
  --to <url>         the target PostgreSQL database, postgres://user:password@host:port/database
  --schema <name>    target schema (default strata); it must be empty or hold this migration
  --from-schema <s>  source schema when the source is PostgreSQL (default strata)
  --batch <n>        events per target transaction, 1 to 10000 (default 1000)
  --no-verify        skip the verification (not recommended)
  --json             print the report as JSON
  -h, --help         this text

Exit codes: 0 copied and verified, 1 failure or a verification mismatch (the streams are named), 2 usage.
`;

const OPTIONS: OptionSpecs = {
  from: { type: 'string' },
  to: { type: 'string' },
  schema: { type: 'string' },
  'from-schema': { type: 'string' },
  batch: { type: 'string' },
  'no-verify': { type: 'boolean' },
  json: { type: 'boolean' },
};

/** `strata migrate`. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'copy a store into PostgreSQL (resumable, verified)',
  usage: USAGE,
  async run(argv, io) {
    const args = parseCommandArgs(argv, OPTIONS, 'migrate');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`, 'migrate');
    const from = requiredString(args, 'from', 'migrate');
    const to = requiredString(args, 'to', 'migrate');
    if (!POSTGRES_URL.test(to)) throw new UsageError('--to expects a postgres:// or postgresql:// URL', 'migrate');
    const batchSize = integerOption(args, 'batch', 'migrate', { min: 1, max: 10_000, fallback: 1_000 });
    const schema = optionalString(args, 'schema');
    const fromSchema = optionalString(args, 'from-schema');
    const json = flag(args, 'json');

    // Store drivers load only for commands that open a store, so help and usage errors stay quick.
    const [{ openStore }, { createStoreMigration }] = await Promise.all([import('../stores/open-store.js'), import('../migrate/store-migration.js')]);
    const source = await openStore(from, fromSchema === undefined ? {} : { schema: fromSchema });
    let target: OpenedStore | undefined;
    try {
      target = await openStore(to, schema === undefined ? {} : { schema });
      if (target.kind !== 'postgres') throw new UsageError('--to expects a PostgreSQL URL', 'migrate');
      const migration = createStoreMigration({ source: source.store, target: target.store, batchSize, signal: io.signal });
      if (!json) io.stderr.write(`migrating ${source.location} -> ${target.location}\n`);
      const copyProgress = createProgress(io.stderr, { label: 'copy', unit: 'positions' });
      const copy = await migration.copy((position, head) => copyProgress.update(position + 1, head + 1));
      copyProgress.finish();

      const verify = flag(args, 'no-verify')
        ? undefined
        : await (async () => {
            const verifyProgress = createProgress(io.stderr, { label: 'verify', unit: 'events read' });
            const report = await migration.verify((events) => verifyProgress.update(events));
            verifyProgress.finish();
            return report;
          })();
      if (json) io.stdout.write(toJson({ source: source.location, target: target.location, copy, verify: verify ?? null }));
      else {
        io.stdout.write(
          formatFields([
            ['copy', `${copy.resumed ? 'resumed' : 'started'} at source position ${copy.from}`],
            ['events read', formatCount(copy.read)],
            ['events written', `${formatCount(copy.copied)} (${formatCount(copy.skipped)} found already copied)`],
            ['soft-deleted streams', formatCount(copy.softDeletedStreams)],
            ['streams with metadata', formatCount(copy.streamsWithMetadata)],
            ['checkpoint', copy.checkpoint],
            ...(verify === undefined
              ? ([['verify', 'skipped (--no-verify)']] as [string, string][])
              : ([
                  ['verified streams', formatCount(verify.streams)],
                  ['events', `${formatCount(verify.sourceEvents)} in the source, ${formatCount(verify.targetEvents)} in the target`],
                  ['checksum', `${verify.sourceChecksum.slice(0, 16)} source, ${verify.targetChecksum.slice(0, 16)} target`],
                ] as [string, string][])),
          ]),
        );
        if (verify !== undefined && !verify.ok) {
          io.stdout.write(
            `\n${formatTable(
              ['stream', 'difference', 'source', 'target'],
              verify.mismatches.map((m) => [m.streamId ?? '(whole log)', m.kind, String(m.source ?? ''), String(m.target ?? '')]),
            )}`,
          );
        }
      }
      if (verify !== undefined && !verify.ok) {
        const streams = verify.mismatches.flatMap((m) => (m.streamId === undefined ? [] : [m.streamId]));
        const first = verify.mismatches[0]!;
        throw new CliError(
          CliErrorCodes.MIGRATION_MISMATCH,
          first.streamId === undefined
            ? `the target differs from the source (${first.kind}: ${first.source} vs ${first.target})`
            : `the target differs from the source in stream${streams.length === 1 ? '' : 's'} ${streams.slice(0, 5).map((s) => `'${s}'`).join(', ')} (${first.kind})`,
          { details: { streams, mismatches: verify.mismatches } },
        );
      }
      return 0;
    } finally {
      await target?.store.close();
      await source.store.close();
    }
  },
};
