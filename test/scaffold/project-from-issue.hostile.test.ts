/**
 * A corpus of hostile "New project" issue bodies through `devfleet new --from-issue` (the code
 * path of the bot's read-only job). Each must either be refused with a problem list naming the
 * form field, writing nothing, or produce ONE file under projects/ whose loaded data equals the
 * intended data, and whose TypeScript is provably data only (compiler API) and whose YAML is
 * one document of plain values.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../generators/definitions/load.ts';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { dataOnlyProblems } from '../helpers/data-only-typescript.ts';
import { issueBody, type IssueFields } from '../helpers/issue-body.ts';

const web = 'name=web, image=nginx:1.27, port=http:80';
const webData = { name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] };
const root = copyOfExamples();
const pristine = snapshotTree(root);

async function fromIssue(body: string, format: 'ts' | 'yaml') {
  const file = join(tempRoot(), 'issue.md');
  writeFileSync(file, body);
  const result = await runCli('new', '--from-issue', file, '--root', root, '--format', format, '--no-synth');
  const after = snapshotTree(root);
  const added = Object.keys(after).filter((path) => !(path in pristine));
  const changed = Object.keys(pristine).filter((path) => after[path] !== pristine[path]);
  return { ...result, added, changed, text: (path: string) => after[path] ?? '' };
}

function cleanUp(paths: readonly string[]) {
  for (const path of paths) rmSync(join(root, path));
}

const accepted: [string, IssueFields, Record<string, unknown>][] = [
  ['shell command substitution and metacharacters in the description', { name: 'hostile-shell', description: '$(rm -rf /) `rm -rf /` ; | & && || > /etc/passwd < /dev/zero', containers: web }, { description: '$(rm -rf /) `rm -rf /` ; | & && || > /etc/passwd < /dev/zero' }],
  ['TypeScript string breakout', { name: 'hostile-ts', description: `'); process.exit(1); (' "); process.exit(1); (" \\'); x`, containers: web }, { description: `'); process.exit(1); (' "); process.exit(1); (" \\'); x` }],
  ['comment and template breakout', { name: 'hostile-comment', description: '*/ process.exit(1) /* // ${process.exit(1)} `${1}` </script>', containers: web }, { description: '*/ process.exit(1) /* // ${process.exit(1)} `${1}` </script>' }],
  ['YAML syntax in a value', { name: 'hostile-yaml', description: '--- !!js/function &a *a {x: 1} [y] # c : ? |- >', containers: web }, { description: '--- !!js/function &a *a {x: 1} [y] # c : ? |- >' }],
  ['a description that is exactly a document marker', { name: 'hostile-marker', description: '---', containers: web }, { description: '---' }],
  ['YAML 1.1 look-alikes', { name: 'hostile-bools', description: 'yes', containers: web, developers: 'alice, bob' }, { description: 'yes', developers: ['alice', 'bob'] }],
  ['Cyrillic and other non-ASCII text in the description', { name: 'hostile-unicode', description: 'Аpp for café ☕ 日本', containers: web }, { description: 'Аpp for café ☕ 日本' }],
  ['shell and quote characters in a route path', { name: 'hostile-route', containers: web, routes: "x.com:http/$(id)`whoami`'\"" }, { routes: [{ host: 'x.com', port: 'http', path: "/$(id)`whoami`'\"" }] }],
];

describe('hostile issue bodies that are valid data', () => {
  for (const format of ['ts', 'yaml'] as const) {
    it.each(accepted)(`GIVEN %s WHEN scaffolded as ${format} THEN one file lands in projects/ and it loads as exactly the intended data`, async (_, fields, extra) => {
      const result = await fromIssue(issueBody(fields), format);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const file = `projects/${fields.name}.${format}`;
      expect(result.added).toEqual([file]);
      expect(result.changed).toEqual([]);
      try {
        const intended = { name: fields.name, ...('description' in extra ? { description: extra.description } : {}), containers: [webData], ...('routes' in extra ? { routes: extra.routes } : {}), ...('developers' in extra ? { developers: extra.developers } : {}) };
        const loaded = (await loadDefinitions(root, 'project')).files.find((f) => f.file === file);
        expect(JSON.parse(JSON.stringify(loaded?.value))).toEqual(intended);
        if (format === 'ts') expect(dataOnlyProblems(result.text(file))).toEqual([]);
        else expect(result.text(file).split('\n').filter((line) => /^(---|\.\.\.)\s*$/.test(line))).toEqual([]);
      } finally {
        cleanUp([file]);
      }
    });
  }
});

const refused: [string, string, RegExp][] = [
  ['path traversal in the name', issueBody({ name: '../../etc/passwd', containers: web }), /Project name: "..\/..\/etc\/passwd" is not a valid project name/],
  ['a slash in the name', issueBody({ name: 'projects/evil', containers: web }), /Project name: "projects\/evil" is not a valid project name/],
  ['a dot-dot name', issueBody({ name: '..', containers: web }), /Project name: ".." is not a valid project name/],
  ['shell in the name', issueBody({ name: '$(rm -rf /)', containers: web }), /Project name: "\$\(rm -rf \/\)" is not a valid project name/],
  ['a Cyrillic look-alike letter in the name', issueBody({ name: 'my-\u0430pp', containers: web }), /Project name: "my-\u0430pp" is not a valid project name/],
  ['a right-to-left override in the description', issueBody({ name: 'rtl', description: 'safe \u202Eevil', containers: web }), /Description: contains the invisible or text-reordering character U\+202E/],
  ['a zero-width space in the name', issueBody({ name: 'my\u200Bapp', containers: web }), /Project name: contains the invisible or text-reordering character U\+200B/],
  ['a zero-width joiner in a container line', issueBody({ name: 'zwj', containers: 'name=w\u200Deb, image=nginx:1.27' }), /Containers, line 1: contains the invisible or text-reordering character U\+200D/],
  ['a second YAML document smuggled into the name', issueBody({ name: 'x\n---\nname: evil', containers: web }), /Project name: has more than one line/],
  ['a form field forged inside another field', issueBody({ name: 'forged', containers: `${web}\n### Project name\n\nevil` }), /Project name: appears twice in the issue/],
  ['shell metacharacters in an image', issueBody({ name: 'img', containers: 'name=web, image=nginx:1.27;rm -rf /' }), /Containers, line 1 \(containers\[0\]\.image\): "nginx:1.27;rm -rf \/" is not valid/],
  ['shell in a container name', issueBody({ name: 'cname', containers: 'name=web$(id), image=nginx:1.27' }), /Containers, line 1 \(containers\[0\]\.name\): "web\$\(id\)" is not valid/],
  ['shell in a port', issueBody({ name: 'port', containers: 'name=web, image=nginx:1.27, port=http:80;id' }), /Containers, line 1: port "http:80;id" must be NAME:NUMBER/],
  ['shell in developer names', issueBody({ name: 'devs', containers: web, developers: 'alice; rm -rf /' }), /Who gets envs \(developers\[0\]\): "alice;" is not valid/],
  ['a 100 kB description (more than an issue body can hold)', issueBody({ name: 'big', description: 'A'.repeat(100_000), containers: web }), /issue body: is 100\d{3} characters long, more than GitHub allows \(65536\)/],
  ['a 60 kB description', issueBody({ name: 'big', description: 'A'.repeat(60_000), containers: web }), /Description \(description\): "A{50,}\.\.\." is 60000 characters long; the limit is 300/],
  ['a body longer than GitHub allows', issueBody({ name: 'huge', containers: web }) + 'x'.repeat(70_000), /issue body: is \d+ characters long, more than GitHub allows/],
  ['no name', issueBody({ containers: web }), /Project name: is missing/],
  ['not an issue form at all', 'rm -rf / # please', /Project name: is missing from the issue/],
];

describe('hostile issue bodies that are refused', () => {
  it.each(refused)('GIVEN %s WHEN scaffolded THEN it exits 1 with a problem naming the field, and writes nothing', async (_, body, problem) => {
    for (const format of ['ts', 'yaml'] as const) {
      const result = await fromIssue(body, format);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(problem);
      expect(result.stderr).toMatch(/devfleet: \d+ problem\(s\) in \d+ file\(s\); nothing was written$/);
      // Problems quote values cut to a readable length: a huge field is never echoed whole.
      expect(result.stderr.length).toBeLessThan(3_000);
      expect(result.added).toEqual([]);
      expect(result.changed).toEqual([]);
    }
  });
});

it('GIVEN the corpus ran WHEN the example root is compared with its start THEN nothing else was left behind', () => {
  expect(snapshotTree(root)).toEqual(pristine);
  expect(readFileSync(join(root, 'projects', 'docs.yaml'), 'utf8')).toBe(pristine['projects/docs.yaml']);
});
