/**
 * The layering rule of generators/README.md, checked on the real source: imports point down only,
 * and no two folders import each other (directly or in a cycle). A new upward import fails here
 * with the file, the import and the rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { folderOf, layerOf, readLayers, type Layers } from '../helpers/layers.ts';

const REPO = resolve(import.meta.dirname, '../..');
const GENERATORS = join(REPO, 'generators');

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly specifier: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(GENERATORS, path)] : [];
  });
}

/** Every relative import (static, type-only, re-export and dynamic) of the files under `root`. */
export function importEdges(root: string, files: readonly string[]): Edge[] {
  return files.flatMap((file) => {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    return info.importedFiles
      .map((f) => f.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ from: file, to: relative(root, resolve(root, dirname(file), specifier)), specifier }));
  });
}

export function upwardImports(edges: readonly Edge[], layers: Layers): string[] {
  return edges.flatMap(({ from, to, specifier }) => {
    const [a, b] = [layerOf(from, layers)!, layerOf(to, layers)!];
    return layers.order.indexOf(b) > layers.order.indexOf(a)
      ? [`generators/${from} imports '${specifier}' (${b} layer) from the ${a} layer; imports point down only (${layers.order.join(' <- ')}): move the shared piece down, or the caller up`]
      : [];
  });
}

/** Cycles between folders (e.g. definitions/ -> plan/ -> definitions/), each named by its folders. */
export function folderCycles(edges: readonly Edge[], layers: Layers): string[] {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [folderOf(from, layers), folderOf(to, layers)];
    if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b));
  }
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]) => {
    state.set(node, 'open');
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') {
        // Named from its alphabetically first folder, so the name does not depend on where the search entered it.
        const ring = [...path.slice(path.indexOf(next)), node];
        const first = ring.indexOf([...ring].sort()[0]!);
        const named = [...ring.slice(first), ...ring.slice(0, first)];
        cycles.push([...named, named[0]].join(' -> '));
      }
      else if (!state.has(next)) visit(next, [...path, node]);
    }
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node, []);
  return cycles;
}

describe('generators/ layers', () => {
  const files = sourceFiles(GENERATORS);
  const edges = importEdges(GENERATORS, files);
  const layers = readLayers();

  it('GIVEN generators/README.md WHEN its layer table is read THEN it names five layers and every module belongs to one', () => {
    expect(layers.order).toEqual(['base', 'model', 'emit', 'services', 'entry']);
    expect(files.filter((f) => layerOf(f, layers) === undefined)).toEqual([]);
  });

  it('GIVEN the source WHEN its imports are read THEN none points up a layer', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(upwardImports(edges, layers)).toEqual([]);
  });

  it('GIVEN the source WHEN folder dependencies are drawn THEN they form no cycle', () => {
    expect(folderCycles(edges, layers)).toEqual([]);
  });

  it('GIVEN a deliberately added upward import WHEN checked THEN it is reported with the file and the rule', () => {
    const planted = [...edges, { from: 'plan/plan.ts', to: 'cli/io.ts', specifier: '../cli/io.ts' }];
    expect(upwardImports(planted, layers)).toEqual([
      "generators/plan/plan.ts imports '../cli/io.ts' (entry layer) from the model layer; imports point down only (base <- model <- emit <- services <- entry): move the shared piece down, or the caller up",
    ]);
  });

  it('GIVEN scaffold/ WHEN its imports are read THEN it needs neither the bots nor the command line nor GitHub: both of them call it', () => {
    const scaffold = files.filter((f) => f.startsWith('scaffold/'));
    expect(scaffold).toContain('scaffold/scaffold-project.ts');
    expect(edges.filter((e) => e.from.startsWith('scaffold/') && /^(bots|cli)\//.test(e.to))).toEqual([]);
    const packages = scaffold.flatMap((f) => ts.preProcessFile(readFileSync(join(GENERATORS, f), 'utf8'), true, true).importedFiles.map((i) => i.fileName));
    expect(packages.filter((p) => /^@octokit\/|^@inquirer\//.test(p))).toEqual([]);
    expect(edges.filter((e) => e.from.startsWith('bots/') && e.to.startsWith('scaffold/')).length).toBeGreaterThan(0);
  });

  it('GIVEN two folders that import each other WHEN checked THEN the cycle is reported', () => {
    const planted = [...edges, { from: 'plan/plan.ts', to: 'definitions/load.ts', specifier: '../definitions/load.ts' }];
    expect(folderCycles(planted, layers)).toContain('definitions -> plan -> definitions');
  });
});
