import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMonitor } from '@strata/monitoring';
import { runStrata } from './support/run-strata.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strata: usage, help and exit codes', () => {
  it('prints the command list with --help (exit 0) and without a command (exit 2)', async () => {
    const help = await runStrata(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['inspect', 'migrate', 'projections', 'bench', 'top']) expect(help.stdout).toContain(command);
    const bare = await runStrata([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('usage: strata <command>');
  });

  it('prints per-command help', async () => {
    for (const command of ['inspect', 'migrate', 'projections', 'bench', 'top']) {
      const run = await runStrata([command, '--help']);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toContain(`usage: strata ${command}`);
    }
    const viaHelp = await runStrata(['help', 'migrate']);
    expect(viaHelp.stdout).toContain('usage: strata migrate');
  });

  it('exits 2 with USAGE on an unknown command, an unknown option, a missing or malformed value', async () => {
    for (const args of [['frobnicate'], ['inspect', '--bogus'], ['inspect'], ['inspect', 'streams', '--store', dir, '--limit', 'ten'], ['migrate', '--from', dir], ['migrate', '--from', dir, '--to', dir]]) {
      const run = await runStrata(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^USAGE: /);
    }
  });

  it('exits 1 with a typed error for a path that holds no store, and creates nothing there', async () => {
    const missing = join(dir, 'nothing-here');
    const run = await runStrata(['inspect', '--store', missing]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^STORE_NOT_FOUND: /);
    expect(existsSync(missing)).toBe(false);
  });

  it('prints its version', async () => {
    const run = await runStrata(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('strata top', () => {
  it('shows one screen of a running monitor', async () => {
    const monitor = createMonitor({ title: 'cli test', intervalMs: 200 });
    try {
      const { url } = await monitor.listen({ port: 0 });
      const run = await runStrata(['top', url, '--once', '--no-color']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('cli test');
    } finally {
      await monitor.close();
    }
  });

  it('fails with a typed error for a URL that is not http', async () => {
    const run = await runStrata(['top', 'ftp://example.com', '--once']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^INVALID_ARGUMENT: /);
  });
});

describe('strata bench', () => {
  it('runs the repository benchmark runner and passes its exit code through', async () => {
    // An unknown suite is refused by the runner itself before anything is measured.
    const run = await runStrata(['bench', '--quick', '--suite', 'no-such-suite']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown suite "no-such-suite"');
  });
});
