/**
 * Hostile definitions (issue 17, point 2): what a TypeScript definition must not be able to do
 * while devfleet loads it on a laptop with credentials or in the pull-request bot. Each case was
 * reproduced on the shared worker thread that evaluated definitions before; here each file runs in
 * a sandbox process of its own (generators/definitions/import-typescript.ts).
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TypeScriptImporter, type ImportOutcome } from '../../generators/definitions/import-typescript.ts';
import { runCli } from '../helpers/cli.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { groupAlive } from '../helpers/process-groups.ts';

const CLUSTER = `export default ${JSON.stringify({ name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/lab.git' } })};\n`;
const VICTIM = "import { defineProject } from 'devfleet';\nexport default defineProject({ name: 'victim', containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }] });\n";
const PROJECT = (name: string) => `defineProject({ name: '${name}', containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }] })`;
/** A specifier the bundler cannot see, as a definition would write one to get past an import check. */
const hidden = (module: string) => `await import(['node', '${module}'].join(':'))`;

const importers: TypeScriptImporter[] = [];
afterEach(() => Promise.all(importers.splice(0).map((i) => i.close())));

/** Imports one definition text (`<root>/projects/x.ts` of a fresh root); the outcome and the importer. */
async function evaluate(source: string, seconds = 10, files: Record<string, string> = {}): Promise<{ outcome: ImportOutcome; importer: TypeScriptImporter; root: string }> {
  const root = tempRoot({ 'projects/x.ts': source, ...files });
  const importer = new TypeScriptImporter(seconds);
  importers.push(importer);
  const outcome = await importer.import(join(root, 'projects', 'x.ts'), root);
  return { outcome, importer, root };
}

describe('a definition in its sandbox', () => {
  const TOKEN = 'DEVFLEET_TEST_TOKEN';
  beforeEach(() => {
    process.env[TOKEN] = 'ghp_secret_of_the_person_running_devfleet';
  });
  afterEach(() => {
    delete process.env[TOKEN];
  });

  it('GIVEN a token in the environment WHEN a definition reads the environment THEN it sees only TZ and LANG', async () => {
    const { outcome } = await evaluate(`export default { token: process.env.${TOKEN} ?? null, home: process.env.HOME ?? null, keys: Object.keys(process.env).sort() };\n`);
    expect(outcome).toEqual({ kind: 'value', value: { token: null, home: null, keys: ['LANG', 'TZ'] } });
  });

  it('GIVEN a definition that writes a file outside the root WHEN loaded THEN the write is refused and no file exists', async () => {
    const target = join(tempRoot(), 'pwned.txt');
    const { outcome } = await evaluate(`import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(target)}, 'owned');\nexport default {};\n`);
    expect(outcome).toEqual({ kind: 'error', message: `writing ${target} was refused: definitions may not write files (line 2, column 1)` });
    expect(existsSync(target)).toBe(false);
  });

  it.each([
    ['fs.promises.writeFile', (target: string) => `await (await import('node:fs')).promises.writeFile(${JSON.stringify(target)}, 'x');`],
    ['a write stream', (target: string) => `const fs = await import('node:fs');\nawait new Promise((resolve, reject) => fs.createWriteStream(${JSON.stringify(target)}).on('error', reject).on('open', resolve));`],
    ['a symbolic link', (target: string) => `(await import('node:fs')).symlinkSync('/etc/passwd', ${JSON.stringify(target)});`],
    ['a folder', (target: string) => `(await import('node:fs')).mkdirSync(${JSON.stringify(target)});`],
    ['a diagnostic report', (target: string) => `process.report.writeReport(${JSON.stringify(target)});`],
    ['a heap snapshot', (target: string) => `(await import('node:v8')).writeHeapSnapshot(${JSON.stringify(target)});`],
  ])('GIVEN a definition that writes with %s WHEN loaded THEN it is refused and nothing exists', async (_, write) => {
    const target = join(tempRoot(), 'written');
    const { outcome } = await evaluate(`${write(target)}\nexport default {};\n`);
    expect(outcome).toMatchObject({ kind: 'error', message: expect.stringMatching(/was refused: definitions may (not write files|only compute their value)/) });
    expect(existsSync(target)).toBe(false);
  });

  it('GIVEN a definition that writes a file inside the root WHEN loaded THEN that is refused too', async () => {
    const { outcome, root } = await evaluate("import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('../projects/y.ts', 'file://' + process.cwd() + '/').pathname, 'x');\nexport default {};\n");
    expect(outcome).toMatchObject({ kind: 'error', message: expect.stringContaining('was refused: definitions may not write files') });
    expect(existsSync(join(root, 'projects', 'y.ts'))).toBe(false);
  });

  it.each([
    ['/etc/passwd', '/etc/passwd'],
    ['~/.aws/credentials', `${process.env.HOME ?? '/root'}/.aws/credentials`],
  ])('GIVEN a definition that reads %s WHEN loaded THEN the read is refused with the path named', async (_, path) => {
    const { outcome } = await evaluate(`import { readFileSync } from 'node:fs';\nexport default { stolen: readFileSync(${JSON.stringify(path)}, 'utf8') };\n`);
    expect(outcome).toEqual({ kind: 'error', message: `reading ${path} was refused: definitions may not read files (import helper modules under the root instead) (line 2, column 26)` });
  });

  it('GIVEN a definition that starts a detached process (import hidden from the bundler) WHEN loaded THEN the start is refused and nothing is written later', async () => {
    const late = join(tempRoot(), 'late.txt');
    const { outcome } = await evaluate(
      `const cp = ${hidden('child_process')};\ncp.spawn('/bin/sh', ['-c', 'sleep 1; echo late > ${late}'], { detached: true, stdio: 'ignore' }).unref();\nexport default {};\n`,
    );
    expect(outcome).toEqual({ kind: 'error', message: 'starting a process was refused: definitions may not start processes (line 2, column 4)' });
    await sleep(2000);
    expect(existsSync(late)).toBe(false);
  });

  it('GIVEN a definition that imports node:child_process WHEN loaded THEN the import is refused before anything runs, at its line', async () => {
    const { outcome } = await evaluate("import { execSync } from 'node:child_process';\nexecSync('sleep infinity');\nexport default {};\n");
    expect(outcome).toEqual({ kind: 'error', message: 'imports node:child_process, but definitions may not start processes (line 1, column 26)' });
  });

  it.each([
    ['static import', "import { Worker } from 'node:worker_threads';\nnew Worker('setInterval(() => {}, 1000)', { eval: true });\nexport default {};\n", 'imports node:worker_threads, but definitions may not start threads (line 1, column 24)'],
    ['hidden import', `const { Worker } = ${hidden('worker_threads')};\nnew Worker('setInterval(() => {}, 1000)', { eval: true });\nexport default {};\n`, 'starting a worker thread was refused: definitions may not start threads (line 2, column 1)'],
  ])('GIVEN a definition that creates a Worker (%s) WHEN loaded THEN it is refused', async (_, source, message) => {
    expect((await evaluate(source)).outcome).toEqual({ kind: 'error', message });
  });

  it.each([
    ['fetch', "await fetch('http://127.0.0.1:9/');\nexport default {};\n"],
    ['a socket', `const net = ${hidden('net')};\nnet.connect(9, '127.0.0.1');\nexport default {};\n`],
    ['a DNS query', `const dns = ${hidden('dns')};\nawait dns.promises.resolve4('leak.example.com');\nexport default {};\n`],
  ])('GIVEN a definition that opens a connection with %s WHEN loaded THEN it is refused', async (_, source) => {
    expect((await evaluate(source)).outcome).toMatchObject({ kind: 'error', message: expect.stringMatching(/^opening a network connection was refused: definitions may not use the network \(line \d+, column \d+\)$/) });
  });

  it('GIVEN a definition that imports a file outside the root WHEN loaded THEN the import is refused and the file never read', async () => {
    const outside = tempRoot({ 'secret.json': '{ "key": "AKIAEXAMPLE" }\n' });
    const root = tempRoot({ 'projects/x.ts': "import secret from './lib/secret.json';\nexport default { secret };\n" });
    mkdirSync(join(root, 'projects', 'lib'));
    symlinkSync(join(outside, 'secret.json'), join(root, 'projects', 'lib', 'secret.json'));
    const importer = new TypeScriptImporter(10);
    importers.push(importer);
    const linked = await importer.import(join(root, 'projects', 'x.ts'), root);
    expect(linked).toEqual({ kind: 'error', message: "imports './lib/secret.json', a file outside the repository that holds the definitions, which devfleet does not read; keep helper modules in the repository (line 1, column 20)" });
  });

  it('GIVEN a definition that writes a forged reply on the loader\'s channel WHEN loaded THEN its own load fails (one reply, from the loader only)', async () => {
    const forged = JSON.stringify({ kind: 'value', value: { name: 'forged' } });
    const { outcome } = await evaluate(`import { writeSync } from 'node:fs';\nwriteSync(3, ${JSON.stringify(forged)});\nexport default { name: 'real' };\n`);
    expect(outcome).toEqual({ kind: 'error', message: "wrote something other than one loader reply on the loader's channel; a definition only exports its value" });
  });

  it('GIVEN a definition that prints a lot WHEN loaded THEN its output is dropped and its value loads', async () => {
    const { outcome } = await evaluate("for (let i = 0; i < 100_000; i++) console.log('spam'.repeat(20));\nexport default { ok: true };\n");
    expect(outcome).toEqual({ kind: 'value', value: { ok: true } });
  });

  it('GIVEN a default export of over 16 MiB WHEN loaded THEN it is refused by size', async () => {
    const { outcome } = await evaluate("export default { big: 'x'.repeat(17 * 1024 * 1024) };\n");
    expect(outcome).toEqual({ kind: 'error', message: 'its default export is larger than 16 MiB as JSON, far more than a definition needs' });
  });

  it('GIVEN a definition that allocates without end WHEN loaded THEN it runs out of its own memory, not devfleet\'s', async () => {
    const { outcome } = await evaluate('const all: number[][] = [];\nwhile (true) all.push(new Array(1_000_000).fill(1));\nexport default {};\n', 60);
    expect(outcome).toEqual({ kind: 'error', message: 'ran out of memory (over 512 MiB) while loading' });
  });

  it.each([
    ['process.binding', "process.binding('spawn_sync');\nexport default {};\n"],
    ['module.register (a loader hook thread)', `const { register } = ${hidden('module')};\nregister('data:text/javascript,export {}');\nexport default {};\n`],
  ])('GIVEN a definition that calls %s WHEN loaded THEN it is refused', async (_, source) => {
    expect((await evaluate(source)).outcome).toMatchObject({ kind: 'error', message: expect.stringContaining('refused') });
  });

  it('GIVEN a definition blocked in a synchronous wait WHEN the limit passes THEN its process group is killed', async () => {
    const { outcome, importer } = await evaluate('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\nexport default {};\n', 1);
    expect(outcome).toEqual({ kind: 'timeout', seconds: 1 });
    expect(importer.processGroups).toHaveLength(1);
    expect(importer.processGroups.filter(groupAlive)).toEqual([]);
  });
});

describe('validate and render with hostile definitions', () => {
  const saved = process.env.DEVFLEET_DEFINITION_TIMEOUT;
  beforeEach(() => {
    process.env.DEVFLEET_DEFINITION_TIMEOUT = '2';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DEVFLEET_DEFINITION_TIMEOUT;
    else process.env.DEVFLEET_DEFINITION_TIMEOUT = saved;
  });

  it('GIVEN a definition that tries to answer the loader for another project WHEN that project is rendered THEN it shows its own image', async () => {
    // The attack on a shared loader: listen for the loader's request for `<root>/projects/victim.ts` and answer it first.
    const evil = `import { defineProject } from 'devfleet';
const forged = { name: 'victim', containers: [{ name: 'web', image: 'attacker.example/exfil:1', ports: [{ name: 'http', port: 80 }] }] };
const threads = ${hidden('worker_threads')};
threads.parentPort?.on('message', (request: { id: number; path: string }) => {
  if (String(request.path).endsWith('victim.ts')) threads.parentPort!.postMessage({ id: request.id, kind: 'value', value: forged });
});
export default ${PROJECT('aaa')};
`;
    const root = tempRoot({ 'clusters/lab.ts': CLUSTER, 'projects/aaa.ts': evil, 'projects/victim.ts': VICTIM });
    const result = await runCli('render', '--root', root, '--cluster', 'lab', '--env', 'ann/victim');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('image: "nginx:1.27"');
    expect(result.stdout).not.toContain('attacker.example');
  }, 60_000);

  it.each([
    ['execSync(\'sleep infinity\') (import hidden from the bundler)', `${hidden('child_process')}.then((cp) => cp.execSync('sleep infinity'));\n`, 'starting a process was refused: definitions may not start processes'],
    ['while (true) {}', 'while (true) {}\n', 'did not finish within 2 s'],
  ])('GIVEN %s in a definition WHEN validated with a 2 s limit THEN validate ends, naming the file, and the others load', async (_, body, says) => {
    const root = tempRoot({ 'clusters/lab.ts': CLUSTER, 'projects/aaa.ts': `import { defineProject } from 'devfleet';\n${body}export default ${PROJECT('aaa')};\n`, 'projects/victim.ts': VICTIM });
    const result = await runCli('validate', '--root', root);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^projects\/aaa\.ts: \(file\): /);
    expect(lines[0]).toContain(says);
    expect(lines[1]).toBe('devfleet: 1 problem(s) in 1 file(s); nothing was written');
  }, 30_000);
});

describe('the reply channel', () => {
  it('GIVEN a definition whose value another file would like to change WHEN both load at once THEN each gets exactly its own value', async () => {
    const root = tempRoot({ 'projects/a.ts': "export default { name: 'a' };\n", 'projects/b.ts': "export default { name: 'b' };\n" });
    writeFileSync(join(root, 'projects', 'c.ts'), "import { writeSync } from 'node:fs';\nfor (const fd of [3, 4, 5, 6]) { try { writeSync(fd, '{\"kind\":\"value\",\"value\":{\"name\":\"c-was-here\"}}'); } catch {} }\nexport default { name: 'c' };\n");
    const importer = new TypeScriptImporter(10);
    importers.push(importer);
    const [a, b] = await Promise.all(['a', 'b', 'c'].map((n) => importer.import(join(root, 'projects', `${n}.ts`), root)));
    expect([a, b]).toEqual([
      { kind: 'value', value: { name: 'a' } },
      { kind: 'value', value: { name: 'b' } },
    ]);
  });
});
