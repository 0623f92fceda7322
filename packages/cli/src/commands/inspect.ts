import type { RecordedEvent } from '@strata/core';
import type { CliIo } from '../cli/cli-io.js';
import type { Command } from '../cli/command.js';
import {
  expectPositionals,
  flag,
  integerOption,
  optionalString,
  parseCommandArgs,
  requiredString,
  type OptionSpecs,
  type ParsedArgs,
} from '../cli/parse-command-args.js';
import { UsageError } from '../errors/cli-errors.js';
import { formatBytes, formatCount, formatFields, formatTable, toJson } from '../output/format.js';
import { createProgress } from '../output/progress.js';
import type { StoreStats } from '../inspect/store-stats.js';
import type { OpenedStore } from '../stores/open-store.js';

const USAGE = `usage: strata inspect [streams | stream <id> | events] --store <lmdb path | postgres url> [options]

Reads a store and prints what is in it. Never appends, deletes or changes anything.

  strata inspect --store <s>                      store statistics: events, streams, head position,
                                                  size on disk (LMDB) or table sizes (PostgreSQL), format
  strata inspect streams --store <s>              streams with their event counts and versions
        [--category <c>] [--limit <n>]            (sorted by id; default limit 100)
  strata inspect stream <id> --store <s>          one stream's events: version, position, type, id,
        [--from <version>] [--limit <n>]          recorded time, metadata (default limit 100)
        [--backward] [--data]
  strata inspect events --store <s>               the global log from a position (default 0)
        [--from <position>] [--limit <n>]         (default limit 100)
        [--type <t>] [--category <c>] [--data]

options:
  --store <s>       an LMDB store directory, or postgres://user:password@host:port/database
  --schema <name>   PostgreSQL schema of the store (default strata)
  --data            also print each event's data
  --json            print JSON instead of text
  -h, --help        this text
`;

const OPTIONS: OptionSpecs = {
  store: { type: 'string' },
  schema: { type: 'string' },
  category: { type: 'string' },
  type: { type: 'string' },
  limit: { type: 'string' },
  from: { type: 'string' },
  backward: { type: 'boolean' },
  data: { type: 'boolean' },
  json: { type: 'boolean' },
};

/** `strata inspect`. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'store statistics, streams, one stream, the global log',
  usage: USAGE,
  async run(argv, io) {
    const args = parseCommandArgs(argv, OPTIONS, 'inspect');
    const [what = 'stats'] = args.positionals;
    if (!['stats', 'streams', 'stream', 'events'].includes(what)) throw new UsageError(`unknown inspect view '${what}'`, 'inspect');
    expectPositionals(args, what === 'stream' ? 2 : args.positionals.length === 0 ? 0 : 1, 'a stream id', 'inspect');
    const limit = integerOption(args, 'limit', 'inspect', { min: 1, max: 1_000_000, fallback: 100 });
    const location = requiredString(args, 'store', 'inspect');
    const schema = optionalString(args, 'schema');
    // Store drivers load only for commands that open a store, so help and usage errors stay quick.
    const { openStore } = await import('../stores/open-store.js');
    const opened = await openStore(location, schema === undefined ? {} : { schema });
    try {
      if (what === 'stats') await printStats(opened, args, io);
      else if (what === 'streams') await printStreams(opened, args, limit, io);
      else if (what === 'stream') await printStream(opened, args.positionals[1]!, args, limit, io);
      else await printEvents(opened, args, limit, io);
      return 0;
    } finally {
      await opened.store.close();
    }
  },
};

async function printStats(opened: OpenedStore, args: ParsedArgs, io: CliIo): Promise<void> {
  const progress = createProgress(io.stderr, { label: 'scan', unit: 'positions' });
  const { collectStats } = await import('../inspect/store-stats.js');
  const stats = await collectStats(opened, (position, head) => progress.update(position + 1, head + 1));
  if (opened.kind === 'lmdb') progress.finish();
  if (flag(args, 'json')) {
    io.stdout.write(toJson(stats));
    return;
  }
  io.stdout.write(renderStats(stats));
}

function renderStats(stats: StoreStats): string {
  const fields: [string, string][] = [
    ['store', `${stats.backend} ${stats.location}`],
    ['format', Object.entries(stats.format).map(([key, value]) => `${key} ${value}`).join(', ')],
    ['events', formatCount(stats.events)],
    ['streams', formatCount(stats.streams)],
    ['head position', String(stats.headPosition)],
  ];
  for (const [key, value] of Object.entries(stats.extra)) fields.push([key, formatCount(value)]);
  let text = formatFields(fields);
  text += `\n${formatTable(
    ['storage', 'size', ...(stats.backend === 'postgres' ? ['rows (estimate)'] : [])],
    stats.storage.map((entry) => [entry.name, formatBytes(entry.bytes), ...(entry.rows === undefined ? [] : [formatCount(entry.rows)])]),
  )}`;
  if (stats.checkpoints !== undefined && stats.checkpoints.length > 0) {
    text += `\n${formatTable(['checkpoint', 'position'], stats.checkpoints.map((c) => [c.name, String(c.position)]))}`;
  }
  return text;
}

async function printStreams(opened: OpenedStore, args: ParsedArgs, limit: number, io: CliIo): Promise<void> {
  const category = optionalString(args, 'category');
  const { listStreams } = await import('../inspect/list-streams.js');
  const listing = await listStreams(opened, { limit, ...(category === undefined ? {} : { category }) });
  if (flag(args, 'json')) {
    io.stdout.write(toJson(listing));
    return;
  }
  io.stdout.write(
    formatTable(
      ['stream', 'events', 'version', 'last position'],
      listing.streams.map((s) => [s.streamId, formatCount(s.events), String(s.version), s.lastPosition < 0 ? '-' : String(s.lastPosition)]),
    ),
  );
  const shown = listing.streams.length;
  io.stdout.write(`${formatCount(listing.total)} stream${listing.total === 1 ? '' : 's'}${shown < listing.total ? `, first ${shown} shown (--limit)` : ''}\n`);
}

async function printStream(opened: OpenedStore, streamId: string, args: ParsedArgs, limit: number, io: CliIo): Promise<void> {
  const info = await opened.store.streamInfo(streamId);
  const from = args.values['from'] === undefined ? undefined : integerOption(args, 'from', 'inspect', { min: 0, fallback: 0 });
  const events: RecordedEvent[] = [];
  const direction = flag(args, 'backward') ? 'backward' : 'forward';
  for await (const event of opened.store.readStream(streamId, { direction, maxCount: limit, ...(from === undefined ? {} : { from }) })) {
    events.push(event);
  }
  const withData = flag(args, 'data');
  if (flag(args, 'json')) {
    io.stdout.write(toJson({ streamId, info: info ?? null, events: events.map((e) => eventJson(e, withData)) }));
    return;
  }
  if (info === undefined) {
    io.stdout.write(`stream ${streamId}: not found\n`);
    return;
  }
  io.stdout.write(
    formatFields([
      ['stream', streamId],
      ['version', String(info.version)],
      ['deleted', info.hardDeleted ? 'hard (tombstoned)' : info.deleted ? 'soft' : 'no'],
      ['metadata', JSON.stringify(info.metadata)],
    ]),
  );
  io.stdout.write(`\n${renderEvents(events, withData)}`);
}

async function printEvents(opened: OpenedStore, args: ParsedArgs, limit: number, io: CliIo): Promise<void> {
  const from = integerOption(args, 'from', 'inspect', { min: 0, fallback: 0 });
  const type = optionalString(args, 'type');
  const category = optionalString(args, 'category');
  const filter = {
    ...(type === undefined ? {} : { types: [type] }),
    ...(category === undefined ? {} : { categories: [category] }),
  };
  const events: RecordedEvent[] = [];
  for await (const event of opened.store.readAll({ from, maxCount: limit, filter })) events.push(event);
  const withData = flag(args, 'data');
  if (flag(args, 'json')) {
    io.stdout.write(toJson({ from, events: events.map((e) => eventJson(e, withData)) }));
    return;
  }
  io.stdout.write(renderEvents(events, withData, true));
}

function eventJson(event: RecordedEvent, withData: boolean): Record<string, unknown> {
  const { data, ...rest } = event;
  return withData ? { ...rest, data } : rest;
}

function renderEvents(events: readonly RecordedEvent[], withData: boolean, withStream = false): string {
  if (events.length === 0) return 'no events\n';
  const header = ['position', ...(withStream ? ['stream'] : []), 'version', 'type', 'id', 'recorded at', 'metadata', ...(withData ? ['data'] : [])];
  const rows = events.map((e) => [
    String(e.position),
    ...(withStream ? [e.streamId] : []),
    String(e.version),
    e.schemaVersion === 1 ? e.type : `${e.type} (v${e.schemaVersion})`,
    e.id,
    e.recordedAt.toISOString(),
    JSON.stringify(e.metadata),
    ...(withData ? [compactJson(e.data)] : []),
  ]);
  return formatTable(header, rows);
}

function compactJson(value: unknown): string {
  return toJson(value).replace(/\n\s*/g, ' ').trim();
}
