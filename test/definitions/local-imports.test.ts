import { describe, expect, it } from 'vitest';
import { localImports } from '../../generators/definitions/local-imports.ts';

/** An in-memory tree of files: what git or the disk would answer. */
const source = (files: Record<string, string>) => ({ read: (path: string) => files[path] });

describe('localImports', () => {
  it('GIVEN a definition importing helpers in every usual spelling WHEN followed THEN each file it reaches is listed once, sorted', async () => {
    const files = {
      '/repo/projects/shop.ts': [
        "import { defineProject } from 'devfleet';",
        "import { image } from './_images';", // no extension
        "import { ports } from './shared/ports.js';", // ESM TypeScript: .js names the .ts file
        "import settings from './shared/settings.json';",
        "import * as lib from '../lib';", // a folder: its index.ts
        "export { env } from './_env.mts';",
        'export default defineProject({ name: "shop", image, ports, settings, lib });',
      ].join('\n'),
      '/repo/projects/_images.ts': "import { registry } from '../lib/registry.ts';\nexport const image = `${registry}/shop:1`;",
      '/repo/projects/shared/ports.ts': 'export const ports = [];',
      '/repo/projects/shared/settings.json': '{ "a": 1 }',
      '/repo/projects/_env.mts': "import { image } from './_images.ts';\nexport const env = { IMAGE: image };", // a cycle back is fine
      '/repo/lib/index.ts': 'export const x = 1;',
      '/repo/lib/registry.ts': "export const registry = 'ghcr.io/example';",
      '/repo/lib/unused.ts': 'export const unused = 1;',
    };
    expect(await localImports(['/repo/projects/shop.ts'], source(files))).toEqual([
      '/repo/lib/index.ts',
      '/repo/lib/registry.ts',
      '/repo/projects/_env.mts',
      '/repo/projects/_images.ts',
      '/repo/projects/shared/ports.ts',
      '/repo/projects/shared/settings.json',
      '/repo/projects/shop.ts',
    ]);
  });

  it('GIVEN an import used only as a type WHEN followed THEN its file is listed too (copying more than needed is harmless)', async () => {
    const files = {
      '/p/a.ts': "import { Port } from './types.ts';\nconst p: Port = { name: 'http' };\nexport default p;",
      '/p/types.ts': 'export interface Port { name: string }',
    };
    expect(await localImports(['/p/a.ts'], source(files))).toEqual(['/p/a.ts', '/p/types.ts']);
  });

  it('GIVEN imports of a missing file and of packages WHEN followed THEN they are left to the loader, which reports them', async () => {
    const files = { '/p/a.ts': "import { x } from './missing.ts';\nimport { parse } from 'yaml';\nimport { readFileSync } from 'node:fs';\nexport default [x, parse, readFileSync];" };
    expect(await localImports(['/p/a.ts'], source(files))).toEqual(['/p/a.ts']);
  });

  it('GIVEN one definition that does not parse WHEN followed with another THEN the other\'s imports are still found', async () => {
    const files = {
      '/p/broken.ts': "import { a } from './_a.ts';\nexport default {{{",
      '/p/_a.ts': 'export const a = 1;',
      '/p/fine.ts': "import { b } from './_b.ts';\nexport default b;",
      '/p/_b.ts': 'export const b = 2;',
    };
    expect(await localImports(['/p/broken.ts', '/p/fine.ts'], source(files))).toEqual(['/p/_b.ts', '/p/broken.ts', '/p/fine.ts']);
  });

  it('GIVEN no entries WHEN followed THEN nothing is listed', async () => {
    expect(await localImports([], source({}))).toEqual([]);
  });
});
