import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_SECONDS, definitionTimeoutSeconds, TypeScriptImporter } from '../../generators/definitions/import-typescript.ts';
import { UsageError } from '../../generators/util/errors.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { groupAlive } from '../helpers/process-groups.ts';

const importers: TypeScriptImporter[] = [];
afterEach(async () => {
  for (const importer of importers.splice(0)) await importer.close();
});

function importer(seconds: number): TypeScriptImporter {
  const made = new TypeScriptImporter(seconds);
  importers.push(made);
  return made;
}

describe('definitionTimeoutSeconds', () => {
  it('GIVEN no DEVFLEET_DEFINITION_TIMEOUT WHEN read THEN the limit is 10 s', () => {
    expect(definitionTimeoutSeconds({})).toBe(10);
    expect(DEFAULT_TIMEOUT_SECONDS).toBe(10);
  });

  it('GIVEN DEVFLEET_DEFINITION_TIMEOUT=2.5 WHEN read THEN the limit is 2.5 s', () => {
    expect(definitionTimeoutSeconds({ DEVFLEET_DEFINITION_TIMEOUT: '2.5' })).toBe(2.5);
  });

  it.each(['abc', '0', '-1'])('GIVEN DEVFLEET_DEFINITION_TIMEOUT=%j WHEN read THEN a usage error says what to set', (raw) => {
    expect(() => definitionTimeoutSeconds({ DEVFLEET_DEFINITION_TIMEOUT: raw })).toThrow(UsageError);
    expect(() => definitionTimeoutSeconds({ DEVFLEET_DEFINITION_TIMEOUT: raw })).toThrow(/set it to a positive number such as 30/);
  });
});

describe('TypeScriptImporter', () => {
  it('GIVEN three definitions WHEN imported at once THEN each is evaluated in a process of its own, and every process is gone afterwards', async () => {
    const root = tempRoot({
      'projects/a.ts': "export default { name: 'a' };\n",
      'projects/b.ts': "import { defineProject } from 'devfleet';\nexport default defineProject({ name: 'b', containers: [] } as never);\n",
      'projects/c.ts': "export default { name: 'c' };\n",
    });
    const ts = importer(10);
    const outcomes = await Promise.all(['a', 'b', 'c'].map((name) => ts.import(join(root, 'projects', `${name}.ts`), root)));
    expect(outcomes).toEqual([
      { kind: 'value', value: { name: 'a' } },
      { kind: 'value', value: { name: 'b', containers: [] } },
      { kind: 'value', value: { name: 'c' } },
    ]);
    expect(ts.processesStarted).toBe(3);
    expect(new Set(ts.processGroups).size).toBe(3);
    expect(ts.processGroups.filter(groupAlive)).toEqual([]);
  });

  it('GIVEN an endless loop between two good files WHEN imported THEN the loop times out, its process group is killed, and the others load', async () => {
    const root = tempRoot({
      'projects/a.ts': "export default { name: 'a' };\n",
      'projects/loop.ts': "while (true) {}\nexport default { name: 'loop' };\n",
      'projects/z.ts': "export default { name: 'z' };\n",
    });
    // 2 s, not less: the limit counts from the sandbox's start, and the good files must load
    // within it on a loaded CI machine too.
    const ts = importer(2);
    const [a, loop, z] = await Promise.all(['a', 'loop', 'z'].map((name) => ts.import(join(root, 'projects', `${name}.ts`), root)));
    expect(a).toEqual({ kind: 'value', value: { name: 'a' } });
    expect(loop).toEqual({ kind: 'timeout', seconds: 2 });
    expect(z).toEqual({ kind: 'value', value: { name: 'z' } });
    expect(ts.processGroups.filter(groupAlive)).toEqual([]);
  });

  it('GIVEN a top-level await that nothing can ever settle WHEN imported THEN it is an error at once, not a wait for the limit', async () => {
    const root = tempRoot({ 'projects/wait.ts': 'await new Promise(() => {});\nexport default {};\n' });
    expect(await importer(30).import(join(root, 'projects/wait.ts'), root)).toEqual({
      kind: 'error',
      message: 'waits at the top level for something that never happens (an await on a promise nothing resolves); a definition is data and loads at once',
    });
  });

  it('GIVEN a wait that keeps the process alive (a timer far away) WHEN imported THEN it times out', async () => {
    const root = tempRoot({ 'projects/wait.ts': 'await new Promise((resolve) => setTimeout(resolve, 3_600_000));\nexport default {};\n' });
    expect(await importer(0.5).import(join(root, 'projects/wait.ts'), root)).toEqual({ kind: 'timeout', seconds: 0.5 });
  });

  it('GIVEN a runtime error after type annotations on the same line WHEN imported THEN the position is the .ts source position', async () => {
    // The failing property access comes after two type annotations and a cast on line 5; type
    // stripping moves it far to the left in the transpiled code, so an unmapped column differs.
    const source = "import { defineProject } from 'devfleet';\ninterface Shape {\n  a: string;\n}\nconst value: Shape | undefined = undefined; const n: number = (null as unknown as { a: string }).a.length;\nexport default defineProject({ name: 'x' } as never);\n";
    const root = tempRoot({ 'projects/x.ts': source });
    const column = source.split('\n')[4]!.indexOf(').a.length') + 3;
    expect(await importer(10).import(join(root, 'projects/x.ts'), root)).toEqual({ kind: 'error', message: `Cannot read properties of null (reading 'a') (line 5, column ${column})` });
  });

  it('GIVEN an error thrown in an imported helper module WHEN imported THEN the position names the helper file', async () => {
    const root = tempRoot({
      'projects/x.ts': "import { image } from './lib/images.ts';\nexport default { name: 'x', image: image() };\n",
      'projects/lib/images.ts': "export function image(tag: string = 'x'): string {\n  const n: number = 1; throw new Error(`no image ${tag}`);\n}\n",
    });
    const column = "  const n: number = 1; throw new Error(`no image ${tag}`);".indexOf('new Error') + 1;
    expect(await importer(10).import(join(root, 'projects/x.ts'), root)).toEqual({ kind: 'error', message: `no image x (projects/lib/images.ts, line 2, column ${column})` });
  });

  it('GIVEN a definition that calls process.exit WHEN imported THEN it is an error and the next file loads', async () => {
    const root = tempRoot({ 'projects/exit.ts': 'process.exit(3);\nexport default {};\n', 'projects/ok.ts': 'export default { ok: true };\n' });
    const ts = importer(10);
    expect(await ts.import(join(root, 'projects/exit.ts'), root)).toEqual({ kind: 'error', message: 'ended the loader (process.exit(3)) instead of exporting a definition' });
    expect(await ts.import(join(root, 'projects/ok.ts'), root)).toEqual({ kind: 'value', value: { ok: true } });
  });

  it('GIVEN a definition edited between two imports WHEN imported again THEN the new content is read (no module cache)', async () => {
    const root = tempRoot({ 'projects/a.ts': "export default { v: 1 };\n" });
    const ts = importer(10);
    expect(await ts.import(join(root, 'projects/a.ts'), root)).toEqual({ kind: 'value', value: { v: 1 } });
    writeFileSync(join(root, 'projects/a.ts'), 'export default { v: 2 };\n');
    expect(await ts.import(join(root, 'projects/a.ts'), root)).toEqual({ kind: 'value', value: { v: 2 } });
  });
});
