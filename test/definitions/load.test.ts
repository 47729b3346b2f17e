import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDefinitionFileName, listDefinitionFiles, loadDefinitions } from '../../generators/definitions/load.ts';
import { copyOfExamples, tempRoot } from '../helpers/fixtures.ts';
import { useHelperModules } from '../helpers/helper-modules.ts';
import { symlinkSync } from 'node:fs';
import { runCli } from '../helpers/cli.ts';
import { baseline, defective, expectRefused, render, SHOP, type BadInputCase, WEB } from '../helpers/bad-input.ts';

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

const SECRET = 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG';

/** A file outside the root whose first line must never be printed. */
function outsideFile(): string {
  const dir = tempRoot({ 'credentials.yaml': `${SECRET}\n` });
  return join(dir, 'credentials.yaml');
}

/** Nine levels of nine aliases each: 9^9 strings once expanded ("billion laughs"). */
const ALIAS_BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');

const cases: BadInputCase[] = [
  {
    given: 'a TypeScript definition with an endless loop (limit 2 s)',
    text: (f) => (f[SHOP] = f[SHOP]!.replace("from 'devfleet';\n", "from 'devfleet';\n\nwhile (true) {}\n")),
    file: SHOP,
    path: '(file)',
    says: ['did not finish within 2 s', 'look for an endless loop', 'DEVFLEET_DEFINITION_TIMEOUT=<seconds>'],
  },
  {
    given: 'a symbolic link in projects/ to a file outside the root',
    root: (root) => symlinkSync(outsideFile(), join(root, 'projects/stolen.yaml')),
    file: 'projects/stolen.yaml',
    path: '(file)',
    says: ['is a symbolic link to a file outside the repository root, which devfleet does not read', 'put the definition itself in its place'],
    never: [SECRET, 'credentials.yaml'],
  },
  {
    given: 'a symbolic link in clusters/ to a file outside the root',
    root: (root) => symlinkSync(outsideFile(), join(root, 'clusters/prod.yaml')),
    file: 'clusters/prod.yaml',
    path: '(file)',
    says: ['is a symbolic link to a file outside the repository root'],
    never: [SECRET],
  },
  {
    given: 'a symbolic link that leads nowhere',
    root: (root) => symlinkSync(join(root, 'missing.yaml'), join(root, 'projects/gone.yaml')),
    file: 'projects/gone.yaml',
    path: '(file)',
    says: ['is a symbolic link to nothing'],
  },
  {
    given: 'a YAML alias bomb',
    text: (f) => (f['projects/bomb.yaml'] = `${ALIAS_BOMB}\n`),
    file: 'projects/bomb.yaml',
    path: '(file)',
    says: ['is not valid YAML/JSON: its aliases (*name) expand to more than 100 copies', 'write the values out'],
  },
  {
    given: 'a TypeScript error after type annotations (the position is the .ts one)',
    text: (f) => (f[SHOP] = f[SHOP]!.replace("from 'devfleet';\n", "from 'devfleet';\n\nconst port: number = 3000; const none: { a: string } | null = null; const oops: number = (none as unknown as { a: string }).a.length;\n")),
    file: SHOP,
    path: '(file)',
    // line 3; "a" of ".a.length" is at column 117 of the source line
    says: [`could not be loaded: Cannot read properties of null (reading 'a') (line 3, column ${"const port: number = 3000; const none: { a: string } | null = null; const oops: number = (none as unknown as { a: string }).a.length;".indexOf(').a.length') + 3})`],
  },
  {
    given: 'a function where data belongs (TypeScript)',
    text: (f) => (f[SHOP] = f[SHOP]!.replace('"description": "A one-container shop"', '"description": (() => "A shop") as unknown as string')),
    file: SHOP,
    path: 'description',
    says: ['is a function; a definition is plain data'],
  },
];

describe('loading definitions', () => {
  const saved = process.env.DEVFLEET_DEFINITION_TIMEOUT;
  beforeEach(() => {
    process.env.DEVFLEET_DEFINITION_TIMEOUT = '2';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DEVFLEET_DEFINITION_TIMEOUT;
    else process.env.DEVFLEET_DEFINITION_TIMEOUT = saved;
  });

  it('GIVEN a TypeScript project importing a helper module and a symbolic link inside the root WHEN validated THEN both load (control)', async () => {
    const files = render(baseline());
    files[SHOP] = files[SHOP]!.replace("from 'devfleet';\n", "from 'devfleet';\nimport { SHOP_IMAGE } from './lib/images.ts';\n").replace('"ghcr.io/acme/shop:2.3.1"', 'SHOP_IMAGE');
    files['projects/lib/images.ts'] = "export const SHOP_IMAGE: string = 'ghcr.io/acme/shop:2.3.1';\n";
    files['shared/web.yaml'] = files[WEB]!;
    delete files[WEB];
    const root = tempRoot(files);
    symlinkSync('../shared/web.yaml', join(root, WEB));
    const result = await runCli('validate', '--root', root);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ok: 2 project(s), 1 cluster(s), 5 env(s)\n');
  });

  it('GIVEN an endless loop in one definition WHEN validated THEN only that file is reported: the files after it still load', async () => {
    const files = defective({});
    files['projects/aaa.ts'] = 'while (true) {}\nexport default {};\n';
    files['projects/zzz.yaml'] = 'name: zzz\ncontainers: []\n';
    const result = await runCli('validate', '--root', tempRoot(files));
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      'projects/aaa.ts: (file): did not finish within 2 s; look for an endless loop or a wait that never ends (a definition is data and loads at once), or raise the limit with DEVFLEET_DEFINITION_TIMEOUT=<seconds>',
      'projects/zzz.yaml: containers: needs at least 1 item(s); add one (line 2)',
      'devfleet: 2 problem(s) in 2 file(s); nothing was written',
    ]);
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file, and nothing is written', async (_, c) => {
    await expectRefused(c);
  });
});
