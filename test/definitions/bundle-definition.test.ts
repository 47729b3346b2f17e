import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleDefinition, mapBundlePosition, repositoryTop } from '../../generators/definitions/bundle-definition.ts';
import { tempRoot } from '../helpers/fixtures.ts';

const bundle = (files: Record<string, string>) => {
  const root = tempRoot(files);
  return bundleDefinition(join(root, 'projects', 'x.ts'), root);
};

describe('bundleDefinition', () => {
  it('GIVEN a definition importing devfleet and a helper module WHEN bundled THEN one module holds both, types stripped, with a source map', async () => {
    const result = await bundle({
      'projects/x.ts': "import { defineProject } from 'devfleet';\nimport { IMAGE } from './lib/images.ts';\nexport default defineProject({ name: 'x', containers: [{ name: 'a', image: IMAGE }] } as never);\n",
      'projects/lib/images.ts': "export const IMAGE: string = 'nginx:1.27';\n",
    });
    expect(result.kind).toBe('bundle');
    if (result.kind !== 'bundle') return;
    expect(result.code).toContain('"nginx:1.27"');
    expect(result.code).toContain('function defineProject(');
    expect(result.code).not.toContain(': string');
    expect(JSON.parse(result.map).sources).toEqual(expect.arrayContaining(['projects/x.ts', 'projects/lib/images.ts']));
  });

  it.each([
    ['a syntax error', { 'projects/x.ts': 'export default { name: ;\n' }, /^Unexpected ";" \(line 1, column 24\)$/],
    ['an import of a missing file', { 'projects/x.ts': "import { A } from './shared/images.ts';\nexport default { A };\n" }, /^Cannot find module '\.\/shared\/images\.ts' \(line 1, column 19\)$/],
    ['a missing file imported by a helper', { 'projects/x.ts': "import './lib/a.ts';\nexport default {};\n", 'projects/lib/a.ts': "import './gone.ts';\n" }, /^Cannot find module '\.\/gone\.ts' \(projects\/lib\/a\.ts, line 1, column 8\)$/],
    ['an import of a file above the root', { 'projects/x.ts': "import data from '../../../../../../etc/hostname.json';\nexport default { data };\n" }, /^(imports '.*', a file outside the repository that holds the definitions, which devfleet does not read; keep helper modules in the repository|Cannot find module '.*') \(line 1, column 18\)$/],
    ['an import of a file that is no module', { 'projects/x.ts': "import notes from './notes.txt';\nexport default { notes };\n", 'projects/notes.txt': 'token=abc\n' }, /^imports '\.\/notes\.txt', which is not a module; definitions import TypeScript, JavaScript or JSON/],
    ['node:cluster', { 'projects/x.ts': "import cluster from 'node:cluster';\nexport default { primary: cluster.isPrimary };\n" }, /^imports node:cluster, but definitions may not start processes \(line 1, column 21\)$/],
    ['https (without the node: prefix)', { 'projects/x.ts': "import https from 'https';\nexport default { agent: https.globalAgent };\n" }, /^imports https, but definitions may not open network connections \(line 1, column 19\)$/],
  ])('GIVEN %s WHEN bundled THEN the error says so at the source position', async (_, files, message) => {
    const result = await bundle(files);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toMatch(message);
  });

  it('GIVEN a root in a subfolder of a git work tree WHEN a definition imports a module elsewhere in the repository THEN it is bundled; ABOVE the repository THEN refused', async () => {
    const top = tempRoot({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'lib/ports.ts': 'export const port = 80;\n',
      'fleet/projects/x.ts': "import { port } from '../../lib/ports.ts';\nexport default { port };\n",
      'fleet/projects/y.ts': "import secret from '../../../secret.json';\nexport default { secret };\n",
    });
    const outside = join(top, '..', 'secret.json');
    expect(repositoryTop(join(top, 'fleet'))).toBe(top);
    expect((await bundleDefinition(join(top, 'fleet', 'projects', 'x.ts'), join(top, 'fleet'))).kind).toBe('bundle');
    writeFileSync(outside, '{}\n');
    try {
      expect(await bundleDefinition(join(top, 'fleet', 'projects', 'y.ts'), join(top, 'fleet'))).toEqual({
        kind: 'error',
        message: "imports '../../../secret.json', a file outside the repository that holds the definitions, which devfleet does not read; keep helper modules in the repository (line 1, column 20)",
      });
    } finally {
      rmSync(outside);
    }
  });

  it('GIVEN a tsconfig.json in the root that extends a file elsewhere WHEN bundled THEN it is not read', async () => {
    const result = await bundle({ 'tsconfig.json': '{ "extends": "/nonexistent/tsconfig.json" }\n', 'projects/x.ts': 'export default {};\n' });
    expect(result.kind).toBe('bundle');
  });
});

describe('mapBundlePosition', () => {
  it('GIVEN frames in devfleet\'s own code and in the definition WHEN mapped THEN the first frame under the root is named', async () => {
    const root = tempRoot({ 'projects/x.ts': "import { defineProject } from 'devfleet';\nconst n: number = 1;\nexport default defineProject(null as never);\n" });
    const result = await bundleDefinition(join(root, 'projects', 'x.ts'), root);
    if (result.kind !== 'bundle') throw new Error(result.message);
    const lines = result.code.split('\n');
    const inIndex = lines.findIndex((l) => l.includes('return definition'));
    const inDefinition = lines.findIndex((l) => l.includes('defineProject(null'));
    const frames = [{ line: inIndex + 1, column: 3 }, { line: inDefinition + 1, column: lines[inDefinition]!.indexOf('defineProject(null') + 1 }];
    expect(mapBundlePosition(result.map, frames, join(root, 'projects', 'x.ts'), root)).toBe(' (line 3, column 16)');
    expect(mapBundlePosition(result.map, [], join(root, 'projects', 'x.ts'), root)).toBe('');
  });
});
