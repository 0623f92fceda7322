#!/usr/bin/env node
// Enforces the dependency rules of STYLE.md that ESLint cannot see on its own:
// - packages sit in layers and depend only on lower layers (or on acyclic peers of their own layer);
// - a package imports another only by name (no deep paths), and only if it declares the dependency;
// - relative imports stay inside their package;
// - no import cycles between the files of a package.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const LAYERS = {
  core: 0,
  serialization: 1, batching: 1, monitoring: 1, cache: 1, pool: 1, testing: 1,
  'store-lmdb': 2, 'store-postgres': 2,
  processor: 3, projections: 3, query: 3,
  cli: 4, example: 4, bench: 4,
};

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const problems = [];

function workspaceDirs() {
  const dirs = [];
  for (const parent of ['packages', 'apps']) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) {
      if (existsSync(join(base, name, 'package.json'))) dirs.push(join(base, name));
    }
  }
  if (existsSync(join(root, 'bench', 'package.json'))) dirs.push(join(root, 'bench'));
  return dirs;
}

function sourceFiles(dir) {
  const out = [];
  for (const sub of ['src', 'test', 'bench']) {
    const start = join(dir, sub);
    if (!existsSync(start)) continue;
    const stack = [start];
    while (stack.length > 0) {
      const current = stack.pop();
      for (const entry of readdirSync(current)) {
        if (entry === 'node_modules' || entry === 'dist') continue;
        const path = join(current, entry);
        if (statSync(path).isDirectory()) stack.push(path);
        else if (/\.(ts|mts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
      }
    }
  }
  return out;
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const match of text.matchAll(IMPORT)) found.push(match[1] ?? match[2] ?? match[3]);
  return found;
}

const packages = workspaceDirs().map((dir) => {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const short = manifest.name.replace(/^@strata\//, '');
  const declared = new Set(
    Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies }).filter((d) =>
      d.startsWith('@strata/'),
    ),
  );
  return { dir, name: manifest.name, short, declared };
});
const byName = new Map(packages.map((p) => [p.name, p]));

for (const pkg of packages) {
  const layer = LAYERS[pkg.short];
  if (layer === undefined) problems.push(`${pkg.name}: not placed in a layer (add it to scripts/check-deps.mjs)`);
  for (const dep of pkg.declared) {
    const target = byName.get(dep);
    if (target === undefined) continue;
    const depLayer = LAYERS[target.short];
    if (layer !== undefined && depLayer !== undefined && depLayer > layer) {
      problems.push(`${pkg.name} (layer ${layer}) depends on ${dep} (layer ${depLayer}): dependencies point down only`);
    }
  }
}

// Package-level cycles (same-layer dependencies are allowed while acyclic).
function findCycle(nodes, edges) {
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of edges(node)) {
      if (state.get(next) === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of nodes) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return undefined;
}
const packageCycle = findCycle(
  packages.map((p) => p.name),
  (name) => [...(byName.get(name)?.declared ?? [])].filter((d) => byName.has(d)),
);
if (packageCycle) problems.push(`package dependency cycle: ${packageCycle.join(' -> ')}`);

for (const pkg of packages) {
  const files = sourceFiles(pkg.dir);
  const graph = new Map();
  for (const file of files) {
    const local = [];
    for (const spec of importsOf(file)) {
      const where = relative(root, file);
      if (spec.startsWith('@strata/')) {
        const name = spec.split('/').slice(0, 2).join('/');
        if (spec !== name) problems.push(`${where}: deep import '${spec}' (use '${name}')`);
        if (name === pkg.name) problems.push(`${where}: imports its own package by name`);
        else if (!pkg.declared.has(name)) problems.push(`${where}: imports ${name} without declaring it in package.json`);
      } else if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(pkg.dir + '/')) problems.push(`${where}: relative import '${spec}' leaves the package`);
        const ts = target.replace(/\.js$/, '.ts');
        if (files.includes(ts)) local.push(ts);
      }
    }
    graph.set(file, local);
  }
  const cycle = findCycle(files, (file) => graph.get(file) ?? []);
  if (cycle) problems.push(`${pkg.name}: import cycle ${cycle.map((f) => relative(pkg.dir, f)).join(' -> ')}`);
}

if (problems.length > 0) {
  console.error(`check-deps: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`check-deps: ${packages.length} packages, layering, imports and cycles ok`);
