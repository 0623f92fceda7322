import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DOCS = fileURLToPath(new URL('..', import.meta.url));
const INCLUDE = /<!-- include: (\S+) -->\n```(\w+)\n([\s\S]*?)```/g;
const MARKER = /<!-- include: (\S+) -->/g;
const LINK = /\]\(([^)\s]+)\)/g;

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'examples' || name === 'test' ? [] : pages(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const ALL = pages(DOCS);

describe('documentation pages', () => {
  it.each(ALL.map((path) => [path.slice(DOCS.length), path]))('%s: included samples are their files, verbatim', (_name, path) => {
    const text = readFileSync(path, 'utf8');
    const markers = [...text.matchAll(MARKER)].length;
    const blocks = [...text.matchAll(INCLUDE)];
    expect(blocks, 'every include marker is followed by a code block').toHaveLength(markers);
    for (const [, file, , body] of blocks) {
      const source = resolve(DOCS, file!);
      expect(existsSync(source), `${file} exists`).toBe(true);
      expect(body, `${file} is included verbatim`).toBe(readFileSync(source, 'utf8'));
    }
  });

  it.each(ALL.map((path) => [path.slice(DOCS.length), path]))('%s: relative links resolve', (_name, path) => {
    const text = readFileSync(path, 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, target] of text.matchAll(LINK)) {
      if (/^[a-z]+:/i.test(target!) || target!.startsWith('#')) continue;
      const file = target!.split('#')[0]!;
      // benchmarks.md is written by `npm run bench`; a fresh checkout may not have it yet.
      if (file === 'benchmarks.md') continue;
      expect(existsSync(resolve(dirname(path), file)), `${target} (from ${path.slice(DOCS.length)})`).toBe(true);
    }
  });

  it('every example file is shown on some page or run by a test', () => {
    const shown = new Set(ALL.flatMap((path) => [...readFileSync(path, 'utf8').matchAll(MARKER)].map((m) => resolve(DOCS, m[1]!))));
    const tests = readdirSync(join(DOCS, 'test')).map((name) => readFileSync(join(DOCS, 'test', name), 'utf8')).join('\n');
    for (const name of readdirSync(join(DOCS, 'examples'))) {
      const path = join(DOCS, 'examples', name);
      expect(shown.has(path) || tests.includes(`../examples/${name.replace(/\.ts$/, '.js')}`), name).toBe(true);
    }
  });
});
