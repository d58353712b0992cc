import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The house's one-way imports (README, "Architecture"), checked on the source so a new feature
// can't quietly turn an arrow around.
const SRC = resolve(import.meta.dirname, '../../src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((path) => existsSync(path) && statSync(path).isFile());
}

/** Every file of src/ (relative to it) with the relative imports it makes, type-only ones included. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const imports: string[] = [];
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (!specifier.startsWith('.')) continue;
      const target = resolveImport(file, specifier);
      imports.push(target ? relative(SRC, target) : relative(SRC, resolve(dirname(file), specifier)));
    }
    graph.set(relative(SRC, file), imports);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') found.push([...path.slice(path.indexOf(target)), target]);
      else if (!state.has(target)) visit(target);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

const graph = importGraph();
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const violations = (rule: (edge: { from: string; to: string }) => boolean) =>
  edges.filter(rule).map(({ from, to }) => `${from} -> ${to}`);

describe('import graph of src/', () => {
  it('has no import cycles', () => {
    expect(cycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('keeps lib/ free of features, platform, http, cron and jobs', () => {
    expect(violations(({ from, to }) => from.startsWith('lib/') && /^(features|platform|http|cron|jobs)\//.test(to))).toEqual([]);
  });

  it('keeps ai/ free of features', () => {
    expect(violations(({ from, to }) => from.startsWith('ai/') && to.startsWith('features/'))).toEqual([]);
  });

  it('never imports scripts/ or another feature\'s repository', () => {
    expect(violations(({ to }) => to.startsWith('../'))).toEqual([]);
    expect(
      violations(({ from, to }) => {
        const [, fromFeature] = /^features\/([^/]+)\//.exec(from) ?? [];
        const [, toFeature] = /^features\/([^/]+)\/repository/.exec(to) ?? [];
        return toFeature !== undefined && toFeature !== fromFeature;
      }),
    ).toEqual([]);
  });

  it('lets cron/ and jobs/ call services, never HTTP handlers or routes', () => {
    expect(violations(({ from, to }) => /^(cron|jobs)\//.test(from) && /\/(handlers|routes)(\.ts|\/)/.test(to))).toEqual([]);
  });
});
