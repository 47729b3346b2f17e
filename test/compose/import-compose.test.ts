/** The import shared by `devfleet import compose` and the compose bot: overrides checked against the services, developers applied, the header naming the command. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCompose, parseImageOverride, UnknownServiceError } from '../../generators/compose/import-compose.ts';
import { copyOfExamples, snapshotTree, tempRoot } from '../helpers/fixtures.ts';

const compose = () => join(tempRoot({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    restart: always\n' }), 'compose.yaml');

describe('importCompose', () => {
  it('GIVEN a compose file and developers WHEN imported THEN projects/<name>.ts names the import command, gives envs to those developers, and the warnings come back', async () => {
    const root = copyOfExamples();
    const result = await importCompose(root, compose(), { name: 'blog', developers: ['alice'], format: 'ts' });
    expect(result.file).toBe('projects/blog.ts');
    expect(result.warnings.map((w) => w.path)).toEqual(['services.web.restart']);
    const text = readFileSync(join(root, 'projects/blog.ts'), 'utf8');
    expect(text).toMatch(/^\/\/ Written by `devfleet import compose`/);
    expect(text).toContain("developers: ['alice'],");
  });

  it('GIVEN an override for a service the file does not define WHEN imported THEN UnknownServiceError names it and the services, and nothing is written', async () => {
    const root = copyOfExamples();
    const before = snapshotTree(root);
    await expect(importCompose(root, compose(), { name: 'blog', images: new Map([['api', 'x:1']]), format: 'ts' })).rejects.toThrow(UnknownServiceError);
    await expect(importCompose(root, compose(), { name: 'blog', images: new Map([['api', 'x:1']]), format: 'ts' })).rejects.toMatchObject({ service: 'api', services: ['web'] });
    expect(snapshotTree(root)).toEqual(before);
  });

  it('GIVEN SERVICE=IMAGE specs WHEN parsed THEN both parts are needed', () => {
    expect(parseImageOverride('proxy=nginx:1.27')).toEqual({ service: 'proxy', image: 'nginx:1.27' });
    expect(parseImageOverride('a=b=c')).toEqual({ service: 'a', image: 'b=c' });
    for (const bad of ['proxy', '=nginx:1.27', 'proxy=']) expect(parseImageOverride(bad)).toBeUndefined();
  });
});
