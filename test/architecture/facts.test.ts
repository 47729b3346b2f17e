/**
 * One source per fact: a fact needed in several places (a label or annotation key, a GitHub limit,
 * the weekdays, a path of the generated tree, a platform Secret's name, a pinned version) is
 * spelled in one home and imported, read or handed over everywhere else. This reads the code and
 * the docs (generators/, scripts/, terraform/, docs/, README.md; not the generated trees) and fails
 * on a second spelling, naming the file, the line and the home to take it from instead.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PINS, VERSIONS_FILE } from '../../scripts/lib/versions.ts';
import { REPO } from '../helpers/fixtures.ts';

interface Fact {
  readonly what: string;
  readonly spelled: RegExp;
  /** The file that says it. */
  readonly home: string;
  /** Where a second spelling is looked for (default: generators/ only). */
  readonly scope?: readonly Scope[];
  /** Files that still spell it and are being rewritten elsewhere; each must still spell it (so the list shrinks). */
  readonly pending?: readonly string[];
  /** What is taken out of a line before it is read: a tagged URL cites a source, it pins nothing. */
  readonly ignore?: RegExp;
  /** Only code is read, not comment lines (`*`, `//`, `#`): prose may say where things are. */
  readonly codeOnly?: boolean;
}

type Scope = 'generators' | 'scripts' | 'terraform' | 'docs';

/** The files of each scope: sources, scripts and prose, never generated output. */
const SCOPES: Record<Scope, { readonly roots: readonly string[]; readonly files: RegExp }> = {
  generators: { roots: ['generators'], files: /\.ts$/ },
  scripts: { roots: ['scripts'], files: /\.(ts|sh)$/ },
  terraform: { roots: ['terraform'], files: /\.(tf|md)$/ },
  docs: { roots: ['docs', 'README.md'], files: /\.md$/ },
};
const EVERYWHERE: readonly Scope[] = ['generators', 'scripts', 'terraform', 'docs'];

/**
 * Label and annotation keys, devfleet's and those of the software it configures (Kubernetes,
 * Argo CD, Helm, KEDA, the AWS Load Balancer Controller, Karpenter), as a quoted string: `'key'`,
 * `"key"` or `` `key` ``; an API group's version (`karpenter.sh/v1`) is not a key.
 */
const LABEL_KEY =
  /['"`](app\.kubernetes\.io|devfleet\.dev|argocd\.argoproj\.io|autoscaling\.keda\.sh|alb\.ingress\.kubernetes\.io|pod-security\.kubernetes\.io|kubernetes\.io|karpenter\.sh|karpenter\.k8s\.aws)\/(?!v\d+((alpha|beta)\d+)?['"`])[a-z][a-z0-9.-]*|['"`]helm\.sh\/resource-policy/;

/** The prices (USD) of generators/cost/prices.json, each as it is written and with two decimals. */
const PRICES = (() => {
  const file = JSON.parse(readFileSync(join(REPO, 'generators', 'cost', 'prices.json'), 'utf8')) as Record<string, { value?: unknown }>;
  const values = Object.entries(file).flatMap(([key, entry]) =>
    /Per(Hour|LcuHour|GbMonth)$/.test(key) && typeof entry?.value === 'number'
      ? [entry.value]
      : key === 'instances'
        ? Object.values(entry.value as Record<string, { onDemandPerHour: number }>).map((i) => i.onDemandPerHour)
        : [],
  );
  return [...new Set(values.flatMap((v) => [String(v), v.toFixed(Math.max(2, String(v).split('.')[1]?.length ?? 0))]))];
})();

const FACTS: readonly Fact[] = [
  {
    what: 'a label or annotation key',
    spelled: LABEL_KEY,
    home: 'generators/plan/labels.ts',
    scope: EVERYWHERE,
  },
  {
    what: "a platform Secret's or secret store's name",
    spelled: /devfleet-alb-oidc|devfleet-platform-secrets/,
    home: 'generators/plan/secret-store.ts',
    scope: EVERYWHERE,
  },
  {
    what: 'a path of the definitions or the generated tree',
    spelled:
      /['"`](projects|clusters|charts)\/|['"]projects['"]|(join|resolve)\([^)]*['"](clusters|charts|bootstrap|apps)['"]|bootstrap\/root\.yaml|apps\/(envs|namespaces|platform)\/|appproject\.yaml|devfleet\.auto\.tfvars\.json/,
    home: 'generators/plan/layout.ts',
    scope: ['generators', 'scripts'],
    codeOnly: true,
  },
  { what: "a developer's Kubernetes identity", spelled: /['"`]devfleet:developers?\b/, home: 'generators/plan/names.ts', scope: EVERYWHERE },
  {
    what: 'a pinned version',
    // Each version of tools/versions.env, with or without its "v" (a chart's version is its app's without it).
    spelled: new RegExp(
      `(^|[^\\w.-])v?(${Object.entries(PINS)
        .filter(([name]) => /_VERSION$|_TOOLCHAIN$/.test(name))
        .map(([, value]) => value.replace(/^(v|go)/, '').replaceAll('.', '\\.'))
        .join('|')})(?![\\w.])`,
    ),
    home: VERSIONS_FILE,
    scope: EVERYWHERE,
    ignore: /https?:\/\/\S+/g,
  },
  {
    what: 'a price',
    // Each price of the bundled prices file as money ($0.1, $0.10), or as the file writes it.
    spelled: new RegExp(`\\$(${PRICES.map((p) => p.replace('.', '\\.')).join('|')})(?!\\d)|"value": (${PRICES.map((p) => p.replace('.', '\\.')).join('|')})(?!\\d)`),
    home: 'generators/cost/prices.json',
    scope: EVERYWHERE,
  },
  { what: "GitHub's body limit", spelled: /\b65_?536\b/, home: 'generators/util/github-limits.ts' },
  { what: 'the weekdays', spelled: /'mon', 'tue', 'wed', 'thu', 'fri'/, home: 'generators/schema/common.ts' },
];

function walk(path: string, files: RegExp): string[] {
  const name = path.split('/').pop()!;
  if (name.startsWith('.') || name === 'node_modules') return [];
  if (!statSync(path).isDirectory()) return files.test(path) ? [relative(REPO, path).split('\\').join('/')] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => walk(join(path, entry), files));
}

const texts = new Map<string, readonly string[]>();
function filesOf(scope: Scope): { file: string; lines: readonly string[] }[] {
  const { roots, files } = SCOPES[scope];
  return roots
    .filter((root) => existsSync(join(REPO, root)))
    .flatMap((root) => walk(join(REPO, root), files))
    .map((file) => {
      if (!texts.has(file)) texts.set(file, readFileSync(join(REPO, file), 'utf8').split('\n'));
      return { file, lines: texts.get(file)! };
    });
}

describe('one source per fact', () => {
  it.each(FACTS.map((f) => [f.what, f] as const))('GIVEN %s WHEN the code and docs are read THEN only its home spells it', (_, fact) => {
    const files = (fact.scope ?? ['generators']).flatMap(filesOf);
    if (!files.some((f) => f.file === fact.home)) files.push({ file: fact.home, lines: readFileSync(join(REPO, fact.home), 'utf8').split('\n') });
    const read = (line: string) => (fact.codeOnly && /^\s*(\*|\/\/|\/\*|#)/.test(line) ? '' : fact.ignore ? line.replace(fact.ignore, '') : line);
    const spellings = files.flatMap(({ file, lines }) => lines.flatMap((line, i) => (fact.spelled.test(read(line)) ? [{ file, line: i + 1 }] : [])));
    expect(spellings.filter((s) => s.file === fact.home).length, `${fact.home} no longer spells ${fact.what}`).toBeGreaterThan(0);
    const elsewhere = spellings.filter((s) => s.file !== fact.home && !fact.pending?.includes(s.file)).map((s) => `${s.file}:${s.line}: take it from ${fact.home}`);
    expect(elsewhere).toEqual([]);
    for (const file of fact.pending ?? []) expect(spellings.some((s) => s.file === file), `${file} no longer spells ${fact.what}: drop it from pending`).toBe(true);
  });

  it('GIVEN the scopes WHEN listed THEN each holds files (a moved folder cannot empty the check)', () => {
    for (const scope of EVERYWHERE.filter((s) => s !== 'docs')) expect(filesOf(scope).length, scope).toBeGreaterThan(0);
  });
});
