import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDefinitionFileName, listDefinitionFiles, loadDefinitions } from '../../generators/definitions/load.ts';
import { copyOfExamples, tempRoot } from '../helpers/fixtures.ts';
import { useHelperModules } from '../helpers/helper-modules.ts';

describe('isDefinitionFileName', () => {
  it.each(['shop.ts', 'shop.mts', 'docs.yaml', 'docs.yml', 'docs.json'])('GIVEN %s WHEN judged THEN it is a definition', (name) => {
    expect(isDefinitionFileName(name)).toBe(true);
  });

  it.each(['_lib.ts', '_images.yaml', '.shop.ts', 'types.d.ts', 'README.md', 'shop.js'])('GIVEN %s WHEN judged THEN it is not a definition', (name) => {
    expect(isDefinitionFileName(name)).toBe(false);
  });
});

describe('listDefinitionFiles', () => {
  it('GIVEN definitions, helpers, a subfolder and other files WHEN listed THEN only the definitions at the top come back, sorted', () => {
    const root = tempRoot({
      'projects/shop.ts': '',
      'projects/docs.yaml': '',
      'projects/_lib.ts': '',
      'projects/shared/images.ts': '',
      'projects/README.md': '',
      'projects/.shop.devfleet-new-1': '',
    });
    expect(listDefinitionFiles(join(root, 'projects'))).toEqual([join(root, 'projects', 'docs.yaml'), join(root, 'projects', 'shop.ts')]);
  });
});

describe('loadDefinitions', () => {
  it('GIVEN shop.ts importing helper modules WHEN the projects are loaded THEN the helpers are no definitions and shop loads with their values', async () => {
    const root = copyOfExamples();
    useHelperModules(root);
    const { files, problems } = await loadDefinitions(root, 'project');
    expect(problems).toEqual([]);
    expect(files.map((f) => f.file)).toEqual(['projects/docs.yaml', 'projects/my-app.ts', 'projects/notes-api.ts', 'projects/shop.ts']);
    const shop = files.find((f) => f.file === 'projects/shop.ts')!.value as { containers: { image: string; ports?: unknown }[] };
    expect(shop.containers[0]!.image).toBe('ghcr.io/example/shop:2026.11.3');
    expect(shop.containers[0]!.ports).toEqual([{ name: 'http', port: 3000 }]);
  });
});
