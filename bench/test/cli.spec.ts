import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSuites } from '../src/cli/discover-suites.js';
import { parseCliArgs, shouldWriteReport, UsageError } from '../src/cli/parse-args.js';
import { suiteResultFileName } from '../src/results/run-record.js';

describe('parseCliArgs', () => {
  it('defaults to a full run of every suite', () => {
    expect(parseCliArgs([])).toEqual({ quick: false, suites: [], saveBaseline: false, runs: 1, report: undefined, jsonOnly: false, help: false });
  });

  it('accepts repeated and comma-separated suites, without duplicates', () => {
    expect(parseCliArgs(['--suite', 'a,b', '--suite', 'c', '--suite=a']).suites).toEqual(['a', 'b', 'c']);
  });

  it('reads the flags', () => {
    expect(parseCliArgs(['--quick', '--save-baseline', '--json-only', '--no-report'])).toMatchObject({
      quick: true,
      saveBaseline: true,
      jsonOnly: true,
      report: false,
    });
    expect(parseCliArgs(['--report']).report).toBe(true);
    expect(parseCliArgs(['--runs', '5']).runs).toBe(5);
  });

  it('rejects unknown options and contradictions', () => {
    expect(() => parseCliArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--report', '--no-report'])).toThrow(/contradict/);
    expect(() => parseCliArgs(['serialization'])).toThrow(UsageError);
    for (const runs of ['0', '-1', '2.5', 'many', '']) expect(() => parseCliArgs([`--runs=${runs}`])).toThrow(/--runs wants a whole number from 1/);
  });
});

describe('shouldWriteReport', () => {
  it('regenerates the report after full runs of every suite, unless told otherwise', () => {
    expect(shouldWriteReport({ quick: false, suites: [], report: undefined })).toBe(true);
    expect(shouldWriteReport({ quick: true, suites: [], report: undefined })).toBe(false);
    expect(shouldWriteReport({ quick: false, suites: ['a'], report: undefined })).toBe(false);
    expect(shouldWriteReport({ quick: true, suites: ['a'], report: true })).toBe(true);
    expect(shouldWriteReport({ quick: false, suites: [], report: false })).toBe(false);
  });
});

describe('suiteResultFileName', () => {
  it('uses the suite id and a file-system-safe ISO timestamp', () => {
    expect(suiteResultFileName({ suite: 'append', startedAt: '2025-01-02T03:04:05.678Z' })).toBe('append-2025-01-02T03-04-05-678Z.json');
  });
});

describe('discoverSuites', () => {
  let dir = '';
  const suiteSource = (id: string): string =>
    `export default { id: '${id}', title: 'T', description: '', cases: [{ name: 'a', role: 'subject', fn: () => 1 }], targets: [] };\n`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-bench-discover-'));
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
    await writeFile(join(dir, 'b-suite.js'), suiteSource('second'));
    await writeFile(join(dir, 'a-suite.js'), suiteSource('first'));
    await writeFile(join(dir, 'helper.js'), 'export const helper = 1;\n');
    await writeFile(join(dir, 'c-duplicate.js'), suiteSource('first'));
    await writeFile(join(dir, 'd-invalid.js'), "export default { id: 'invalid', title: 'T', description: '', cases: [], targets: [] };\n");
    await writeFile(join(dir, 'e-throws.js'), "throw new Error('cannot load');\n");
    await writeFile(join(dir, 'f-not-a-suite.js'), 'export default 42;\n');
    await writeFile(join(dir, 'a-suite.js.map'), '{}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds default-exported suites in file order and skips helper modules', async () => {
    const { suites } = await discoverSuites(dir);
    expect(suites.map(({ file, suite }) => [file, suite.id])).toEqual([
      [join(dir, 'a-suite.js'), 'first'],
      [join(dir, 'b-suite.js'), 'second'],
    ]);
  });

  it('reports duplicate ids, invalid suites and modules that fail to load', async () => {
    const { errors } = await discoverSuites(dir);
    expect(errors.map((error) => error.file)).toEqual(['c-duplicate.js', 'd-invalid.js', 'e-throws.js', 'f-not-a-suite.js']);
    expect(errors[0]!.error).toMatch(/already used by a-suite\.js/);
    expect(errors[1]!.error).toMatch(/cases must be a non-empty array/);
    expect(errors[2]!.error).toMatch(/cannot load/);
    expect(errors[3]!.error).toMatch(/not a Suite/);
  });

  it('finds nothing in a missing folder', async () => {
    expect(await discoverSuites(join(dir, 'missing'))).toEqual({ suites: [], errors: [] });
  });
});
