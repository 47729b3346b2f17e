/** `devfleet new` from flags and from prompts: validated with the whole fleet before anything is written, then synth. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { newCommand } from '../../../generators/cli/commands/new.ts';
import { runCli } from '../../helpers/cli.ts';
import { quote } from 'shell-quote';
import { copyOfExamples, REPO, snapshotTree } from '../../helpers/fixtures.ts';
import { useHelperModules } from '../../helpers/helper-modules.ts';

const web = 'name=web,image=nginx:1.27,port=http:80';

describe('devfleet new from flags', () => {
  it('GIVEN a name, containers and routes WHEN run THEN projects/<name>.ts is written, synth regenerates clusters/, and validate passes', async () => {
    const root = copyOfExamples({ withGenerated: true });
    const result = await runCli('new', 'hello', '--root', root, '--container', web, '--container', 'name=api,image=golang:1.23,port=api:8080,cpu=100m,memory=256Mi', '--route', 'hello.com', '--route', 'api.hello.com:api/v1', '--developers', 'alice,bob', '--description', 'Says hello');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^created projects\/hello\.ts\nclusters\/dev\/: 5 chart\(s\), 20 env\(s\)/);
    expect(existsSync(join(root, 'clusters/dev/apps/envs/alice/hello.yaml'))).toBe(true);
    expect(existsSync(join(root, 'clusters/dev/apps/envs/carol/hello.yaml'))).toBe(false);
    expect(readFileSync(join(root, 'projects/hello.ts'), 'utf8')).toContain("{ host: 'api.hello.com', port: 'api', path: '/v1' },");
    expect((await runCli('validate', '--root', root)).code).toBe(0);
    expect((await runCli('synth', '--root', root, '--check')).code).toBe(0);
  });

  it('GIVEN a fleet whose shop.ts imports helper modules (one outside projects/) WHEN new runs THEN the fleet validates with them and the project is written', async () => {
    const root = copyOfExamples({ withGenerated: true });
    useHelperModules(root);
    expect((await runCli('synth', '--root', root)).code).toBe(0);
    const result = await runCli('new', 'hello', '--root', root, '--container', web, '--route', 'hello.com');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^created projects\/hello\.ts\n/);
    expect((await runCli('synth', '--root', root, '--check')).code).toBe(0);
  });

  it('GIVEN --image and --port with --format yaml WHEN run THEN one container named "app" is written as YAML', async () => {
    const root = copyOfExamples();
    const result = await runCli('new', 'tiny', '--root', root, '--image', 'nginx:1.27', '--port', 'http:80', '--route', 'tiny.io', '--format', 'yaml', '--no-synth');
    expect(result.code).toBe(0);
    expect(readFileSync(join(root, 'projects/tiny.yaml'), 'utf8')).toBe(
      '# yaml-language-server: $schema=../schema/project.schema.json\n# Written by `devfleet new`: plain data, edit freely. Every field: schema/project.schema.json\nname: tiny\ncontainers:\n  - name: app\n    image: nginx:1.27\n    ports:\n      - name: http\n        port: 80\nroutes:\n  - host: tiny.io\n    port: http\n',
    );
  });

  it('GIVEN an existing project WHEN run without --force THEN it exits 1 and writes nothing; WITH --force in another format THEN the old file is replaced', async () => {
    const root = copyOfExamples();
    const before = snapshotTree(root);
    const refused = await runCli('new', 'docs', '--root', root, '--container', web, '--no-synth');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('projects/docs.yaml: (file): project "docs" already exists; choose another name, or pass --force to replace it');
    expect(snapshotTree(root)).toEqual(before);
    const forced = await runCli('new', 'docs', '--root', root, '--container', web, '--route', 'docs', '--force', '--no-synth');
    expect(forced.stdout).toBe('created projects/docs.ts (replaced projects/docs.yaml)\n');
    expect(existsSync(join(root, 'projects/docs.yaml'))).toBe(false);
  });

  it('GIVEN values the fleet rejects (no image tag, a route to an unknown port, an unknown developer) WHEN run THEN it exits 1 naming the flag of each problem, and nothing is written', async () => {
    const root = copyOfExamples({ withGenerated: true });
    const before = snapshotTree(root);
    const result = await runCli('new', 'bad', '--root', root, '--container', 'name=web,image=nginx,port=http:80', '--route', 'bad.com:nope', '--developers', 'zed');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('projects/bad.ts: --container #1 (containers[0].image): "nginx" is not valid');
    expect(snapshotTree(root)).toEqual(before);
    const second = await runCli('new', 'bad', '--root', root, '--container', web, '--route', 'bad.com:nope', '--developers', 'zed');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/projects\/bad\.ts: --route #1 \(routes\[0\]\.port\): .*nope/);
    expect(second.stderr).toMatch(/projects\/bad\.ts: --developers \(developers\[0\]\): .*zed/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it.each([
    [['new', '--container', web], /missing <name>/],
    [['new', 'x'], /missing --container \(or --image\)/],
    [['new', 'x', '--image', 'nginx:1.27', '--container', web], /either --image .* or --container, not both/],
    [['new', 'x', '--port', 'http:80', '--container', web], /--port goes with --image/],
    [['new', 'x', '--from-issue', 'body.md'], /--from-issue takes every field from the issue; drop <name>/],
    [['new', '--from-issue', '/no/such/file.md'], /--from-issue \/no\/such\/file\.md: no such file/],
    [['new', 'x', '--container', web, '--format', 'json'], /Allowed choices are ts, yaml/],
  ])('GIVEN %j without a terminal WHEN run THEN it is a usage error (exit 2) saying what to give', async (argv, message) => {
    const root = copyOfExamples();
    const before = snapshotTree(root);
    const result = await runCli(...argv, '--root', root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('devfleet new on a terminal', () => {
  /**
   * Types each answer once its prompt is on the screen, as a person would. The screen ignores
   * end(): each prompt pipes its output into it and ends that pipe when it is answered.
   */
  function terminal(script: [RegExp, string][]) {
    const input = new PassThrough();
    let screen = '';
    let step = 0;
    const drive = () => {
      while (step < script.length && script[step]![0].test(screen)) {
        const [, answer] = script[step++]!;
        screen = '';
        setTimeout(() => input.write(`${answer}\r`), 5);
      }
    };
    class Screen extends Writable {
      override _write(chunk: Buffer, _encoding: string, done: () => void) {
        screen += chunk.toString();
        drive();
        done();
      }
      override end(): this {
        return this;
      }
    }
    return { context: { input, output: new Screen(), clearPromptOnDone: false }, done: () => step === script.length };
  }

  it('GIVEN only a name WHEN run interactively THEN the missing fields are asked (a bad answer is asked again) and the project is written', async () => {
    const root = copyOfExamples();
    const term = terminal([
      [/Description/, 'Made at a terminal'],
      [/Container 1: name/, 'web'],
      [/Container 1: image/, 'nginx:1.27'],
      [/Container 1: ports/, 'http:eighty'],
      [/write e\.g\. http:80/, '\u0015http:80'], // the answer is refused; Ctrl-U clears it, then a valid one
      [/Add another container/, 'n'],
      [/Routes/, 'asked.io'],
      [/Who gets envs/, ''], // nobody picked in the developers' pick-list: all
    ]);
    let out = '';
    const code = await newCommand(root, 'asked', { synth: false }, { stdout: (t) => (out += t), stderr: () => {}, interactive: true }, { interactive: true, context: term.context });
    expect(code).toBe(0);
    expect(term.done()).toBe(true);
    expect(out).toBe('created projects/asked.ts\n');
    expect(readFileSync(join(root, 'projects/asked.ts'), 'utf8')).toContain(
      "defineProject({\n  name: 'asked',\n  description: 'Made at a terminal',\n  containers: [\n    {\n      name: 'web',\n      image: 'nginx:1.27',\n      ports: [{ name: 'http', port: 80 }],\n    },\n  ],\n  routes: [{ host: 'asked.io', port: 'http' }],\n});\n",
    );
  });

  it('GIVEN a moving image tag and a pick-list of developers WHEN answered THEN the image is refused at its prompt with validate\'s reason, and the developers picked are written', async () => {
    const root = copyOfExamples();
    const term = terminal([
      [/Description/, ''],
      [/Container 1: name/, 'app'],
      [/Container 1: image/, 'python:latest'],
      [/the tag "latest" moves/, '\u0015python:3.12'], // refused as validate refuses it; Ctrl-U, then a pinned one
      [/Container 1: ports/, 'http:8000'],
      [/Add another container/, 'n'],
      [/Routes/, ''],
      [/Who gets envs[\s\S]*alice[\s\S]*bob/, ' \u001b[B '], // the cluster's developers: pick alice, down, pick bob
    ]);
    const code = await newCommand(root, 'picked', { synth: false }, { stdout: () => {}, stderr: () => {}, interactive: true }, { interactive: true, context: term.context });
    expect(code).toBe(0);
    expect(term.done()).toBe(true);
    const written = readFileSync(join(root, 'projects/picked.ts'), 'utf8');
    expect(written).toContain("image: 'python:3.12'");
    expect(written).toContain("developers: ['alice', 'bob']");
  });

  it('GIVEN a container with two ports WHEN a route is given without a port THEN the port is picked from a list of the container ports', async () => {
    const root = copyOfExamples();
    const term = terminal([
      [/Description/, ''],
      [/Container 1: name/, 'app'],
      [/Container 1: image/, 'golang:1.23'],
      [/Container 1: ports/, 'http:80, api:8080'],
      [/Add another container/, 'n'],
      [/Routes/, 'two.io'],
      [/Container port for two\.io[\s\S]*http[\s\S]*api/, '\u001b[B'], // down to api, then enter
      [/Who gets envs/, ''],
    ]);
    const code = await newCommand(root, 'two', { synth: false }, { stdout: () => {}, stderr: () => {}, interactive: true }, { interactive: true, context: term.context });
    expect(code).toBe(0);
    expect(term.done()).toBe(true);
    expect(readFileSync(join(root, 'projects/two.ts'), 'utf8')).toContain("routes: [{ host: 'two.io', port: 'api' }]");
  });

  it('GIVEN the real CLI on a pseudo-terminal WHEN Ctrl-C is pressed at a prompt THEN it says "cancelled", writes nothing and exits 130', async () => {
    const root = copyOfExamples();
    const before = snapshotTree(root);
    // script(1) gives the CLI a terminal; Ctrl-C reaches the prompt as the byte 0x03, as from a keyboard.
    const child = spawn('script', ['-qfec', quote([process.execPath, join(REPO, 'bin/devfleet.js'), 'new', '--root', root]), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let pressed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (!pressed && screen.includes('Project name')) {
        pressed = true;
        child.stdin.write('\u0003');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(pressed, screen).toBe(true);
    expect(screen).toContain('devfleet: cancelled; nothing was written');
    expect(screen).not.toContain('unexpected error');
    expect(code).toBe(130);
    expect(snapshotTree(root)).toEqual(before);
  }, 60_000);
});
