/**
 * The README is the front page (at most 12 KB) and docs/ holds one page per concern; what they
 * claim that a command can check is checked here, so it cannot drift again: the size, that every
 * docs/ page is linked from the README, that every relative link (and #anchor) resolves, that the
 * synth line is what synth prints, that the "Add a project" example is the bundled file, that every
 * path the README names exists and every command it shows is a package.json script or a CLI command.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO } from '../helpers/fixtures.ts';

/** 12 KB: the README says what devfleet is, how to start and where the rest is; docs/ holds the rest. */
const README_MAX_BYTES = 12 * 1024;

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

function markdownUnder(dir: string): string[] {
  return readdirSync(join(REPO, dir)).sort().flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(REPO, path)).isDirectory()) return markdownUnder(path);
    return entry.endsWith('.md') ? [path] : [];
  });
}

/** The pages whose links are checked: the README, docs/ and the READMEs of the folders. */
const PAGES = ['README.md', ...markdownUnder('docs'), 'bench/README.md', 'projects/README.md', 'generators/README.md', 'terraform/README.md'];

/** The text of a page outside fenced code blocks, line by line (fenced lines become empty). */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return '';
    }
    return fence === undefined ? line : '';
  });
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of proseLines(text)) {
    // terraform-docs tables anchor their rows with HTML: <a name="input_region"></a>.
    for (const m of line.matchAll(/<a (?:name|id)="([^"]+)"/g)) out.add(m[1]!);
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const plain = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = plain.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** The targets of a page's Markdown links, outside code. */
function linkTargets(text: string): string[] {
  return proseLines(text).flatMap((line) => [...line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!));
}

/** Why a relative link of `page` does not resolve, or undefined when it does (web links are not followed). */
function brokenLink(page: string, target: string): string | undefined {
  if (/^[a-z][a-z+.-]*:/i.test(target)) return undefined;
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = path === '' ? join(REPO, page) : resolve(dirname(join(REPO, page)), decodeURI(path));
  if (relative(REPO, file).startsWith('..')) return `${page}: (${target}) leaves the repository`;
  if (!existsSync(file)) return `${page}: (${target}) names ${relative(REPO, file)}, which does not exist`;
  if (anchor !== undefined && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
    return `${page}: (${target}): ${relative(REPO, file)} has no heading with the anchor #${anchor}`;
  }
  return undefined;
}

/** A section of the README, from its `## ` heading to the next. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Names that look like paths but are not files of this repository: AWS Secrets Manager keys. */
const NOT_REPOSITORY_PATHS = /^devfleet\//;

/** Inline code spans of the README's prose that look like a path in this repository. */
function namedPaths(): string[] {
  const spans = proseLines(readme).flatMap((line) => [...line.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!));
  const looksLikePath = (s: string) => /^[\w.<>*-]+\/[\w.<>*/-]*$|^[\w<>*-]+\.(ts|md|json|yaml|sh|js)$/.test(s) && !/^(https?|[\w-]+\.(com|dev|io))\b/.test(s);
  return [...new Set(spans.filter((s) => looksLikePath(s) && !NOT_REPOSITORY_PATHS.test(s)))];
}

/** Whether some file or folder of the repository matches a path with `<placeholder>`s or `*`s. */
function pathExists(path: string): boolean {
  if (!/[<*]/.test(path)) return existsSync(join(REPO, path));
  const parts = path.replace(/\/$/, '').split('/');
  const walk = (dir: string, i: number): boolean => {
    if (i === parts.length) return true;
    const pattern = new RegExp(`^${parts[i]!.split(/<[^>]*>|\*/).map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
    return readdirSync(dir).some((entry) => pattern.test(entry) && walk(join(dir, entry), i + 1));
  };
  return walk(REPO, 0);
}

/** The commands a page shows as code (code blocks, inline code): `npm ...`, `npx devfleet ...`, `node bin/devfleet.js ...`. */
function shownCommands(text: string): { tool: string; name: string }[] {
  const prose = proseLines(text);
  const fenced = text.split('\n').filter((line, i) => prose[i] === '' && line !== '').join('\n');
  const code = [fenced, ...prose.flatMap((line) => [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!))].join('\n');
  return [...code.matchAll(/\b(npm run(?: -s)?|npm|npx devfleet|node bin\/devfleet\.js) ([a-z][\w:-]*)/g)].map((m) => ({ tool: m[1]!, name: m[2]! }));
}

describe('README.md', () => {
  it(`GIVEN the README WHEN measured THEN it is at most ${README_MAX_BYTES} bytes (the rest lives in docs/)`, () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('GIVEN every page of docs/ WHEN the README is read THEN it links to each', () => {
    const linked = new Set(linkTargets(readme).map((t) => t.split('#')[0]));
    expect(markdownUnder('docs').filter((page) => !linked.has(page))).toEqual([]);
  });

  it('GIVEN every docs/ page and bench/README.md WHEN opened THEN the sentence under its title says who it is for', () => {
    const pages = [...markdownUnder('docs'), 'bench/README.md'];
    const unsaid = pages.filter((page) => !/^# .+\n\nFor [^\n]+/.test(readFileSync(join(REPO, page), 'utf8')));
    expect(unsaid.map((page) => `${page}: start with "# <title>", a blank line and "For <whom>: <what the page holds>."`)).toEqual([]);
  });

  it('GIVEN the README, docs/ and the folder READMEs WHEN their relative links are followed THEN each names an existing file, and an #anchor one of its headings', () => {
    expect(PAGES.flatMap((page) => linkTargets(readFileSync(join(REPO, page), 'utf8')).flatMap((t) => brokenLink(page, t) ?? []))).toEqual([]);
  });

  it('GIVEN the synth line the README quotes WHEN synth runs on a copy of the bundled definitions THEN it prints exactly that line', async () => {
    const quoted = [...readme.matchAll(/`(clusters\/[^`]+: \d+ chart\(s\), \d+ env\(s\), \d+ file\(s\))`/g)].map((m) => m[1]!);
    expect(quoted.length).toBeGreaterThan(0);
    const synth = await runCli('synth', '--root', copyOfExamples());
    expect(synth.code).toBe(0);
    const printed = synth.stdout.trimEnd().split('\n');
    for (const line of quoted) expect(printed).toContain(line);
  });

  it('GIVEN "Add a project" WHEN its example is read THEN it is the bundled file it names, byte for byte', () => {
    const text = section('Add a project');
    const fence = /\n```[a-z]*\n([\s\S]*?)```\n/.exec(text);
    expect(fence).not.toBeNull();
    const named = [...text.slice(0, fence!.index).matchAll(/`(projects\/[\w-]+\.(?:ts|yaml))`/g)].at(-1)?.[1];
    expect(named, 'the line before the example names the file it shows').toBeDefined();
    expect(fence![1]).toBe(readFileSync(join(REPO, named!), 'utf8'));
  });

  it('GIVEN every path the README names WHEN looked up THEN it exists (a <placeholder> or * matches some file)', () => {
    const paths = namedPaths();
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !pathExists(p))).toEqual([]);
  });

  it('GIVEN every command the README shows WHEN looked up THEN it is a package.json script or a registered devfleet command', async () => {
    const scripts = Object.keys((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const help = await runCli('--help');
    const commands = help.stdout.slice(help.stdout.indexOf('\nCommands:\n') + 1).split('\n\n')[0]!.split('\n').flatMap((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1] ?? []);
    expect(commands).toContain('synth');
    const shown = shownCommands(readme);
    expect(shown.length).toBeGreaterThan(5);
    const unknown = shown.filter(({ tool, name }) => {
      if (tool.startsWith('npm run')) return !scripts.includes(name);
      if (tool === 'npm') return name === 'test' ? !scripts.includes('test') : !['ci', 'install'].includes(name);
      return !commands.includes(name);
    });
    expect(unknown.map(({ tool, name }) => `${tool} ${name}`)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('GIVEN headings with code, punctuation and repeats WHEN anchored THEN the anchors are GitHub\'s', () => {
    expect([...anchors('# What `validate` refuses\n## Start-up: the CLI runs\n## Cost\n```\n## not a heading\n```\n## Cost\n')]).toEqual(['what-validate-refuses', 'start-up-the-cli-runs', 'cost', 'cost-1']);
  });

  it('GIVEN links in prose, in inline code and in a code block WHEN read THEN only the prose ones count', () => {
    expect(linkTargets('[a](docs/a.md) `[b](b.md)`\n```\n[c](c.md)\n```\n[d](../d.md#x "title")')).toEqual(['docs/a.md', '../d.md#x']);
  });

  it('GIVEN a link to a missing file or heading WHEN checked THEN it is reported with the page and the target', () => {
    expect(brokenLink('README.md', 'docs/no-such-page.md')).toBe('README.md: (docs/no-such-page.md) names docs/no-such-page.md, which does not exist');
    expect(brokenLink('README.md', '#no-such-heading')).toBe('README.md: (#no-such-heading): README.md has no heading with the anchor #no-such-heading');
    expect(brokenLink('README.md', 'https://example.com/x')).toBeUndefined();
  });

  it('GIVEN commands in a code block, in inline code and in prose WHEN read THEN only the code ones count', () => {
    expect(shownCommands('```sh\nnpm ci && npm run -s cluster:sync -- --root .\n```\nthe npm package `tzdata`; run `npx devfleet frobnicate`')).toEqual([
      { tool: 'npm', name: 'ci' },
      { tool: 'npm run -s', name: 'cluster:sync' },
      { tool: 'npx devfleet', name: 'frobnicate' },
    ]);
  });

  it('GIVEN paths with placeholders WHEN looked up THEN they match existing files only', () => {
    expect(pathExists('clusters/<cluster>/README.md')).toBe(true);
    expect(pathExists('clusters/<cluster>/no-such-file.md')).toBe(false);
    expect(pathExists('scripts/build-*.sh')).toBe(true);
  });
});
