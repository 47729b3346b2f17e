/**
 * .github/CODEOWNERS puts the platform team on every path that defines a cluster or grants access:
 * a cluster definition in every format the loader accepts, any helper module or other file under
 * clusters/ that is not a generated env file, the generated files that change the platform rather
 * than one env (bootstrap, the env AppProject, platform objects, developer namespaces with their
 * RoleBindings and NetworkPolicies) and the generated Terraform inputs. A project PR that touches
 * any of them cannot merge without the platform team; one env's files stay with the devfleet team.
 *
 * What must hold is derived, not retyped: the generated paths from generators/plan/layout.ts, the
 * definition extensions from the loader (generators/definitions/load.ts), the extensions a
 * definition's local import resolves (generators/definitions/local-imports.ts); the committed
 * trees add every file synth really writes. Matching follows GitHub's rules (test/helpers/codeowners.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTENSIONS as DEFINITION_EXTENSIONS, isDefinitionFileName } from '../../generators/definitions/load.ts';
import { EXTENSIONS as IMPORT_EXTENSIONS } from '../../generators/definitions/local-imports.ts';
import { classifyTreePath, clusterDir, DEFINITION_DIRS, isGeneratedPath, TREE, tfvarsFile } from '../../generators/plan/layout.ts';
import { REPO } from '../helpers/fixtures.ts';
import { ownersOf, parseCodeowners } from '../helpers/codeowners.ts';

const PLATFORM = '@example/platform';
const DEVFLEET = '@example/devfleet';
const text = readFileSync(join(REPO, '.github/CODEOWNERS'), 'utf8');

/**
 * Who owns each part of a cluster's generated tree (layout.ts `TREE`). A part added to the layout
 * fails the first test until it is placed here, and CODEOWNERS follows.
 */
const TREE_OWNER: Readonly<Record<keyof typeof TREE, 'platform' | 'env' | 'folder'>> = {
  readme: 'env', // one row per env: every project PR changes it
  bootstrap: 'platform',
  apps: 'folder',
  appProject: 'platform',
  platform: 'platform',
  namespace: 'platform',
  env: 'env',
  chart: 'env',
};

/** The fixed start of a part's paths (the whole path of a fixed file), asked of layout.ts itself. */
function partStart(key: keyof typeof TREE): string {
  const mark = '\u0000';
  const part = TREE[key];
  const path = typeof part === 'string' ? part : key === 'env' ? TREE.env({ developer: mark, project: mark }) : (part as (name: string) => string)(mark);
  return path.split(mark)[0]!;
}

/** Files under a repository folder, repository-relative. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(REPO, path).split(sep).join('/'));
    }
  };
  walk(join(REPO, dir));
  return out;
}

const committedClusters = readdirSync(join(REPO, DEFINITION_DIRS.cluster)).filter((e) => statSync(join(REPO, DEFINITION_DIRS.cluster, e)).isDirectory());

/** A file of a cluster's generated tree (root-relative): does one env own it, by the layout? */
function isEnvFile(cluster: string, path: string): boolean {
  const inTree = path.slice(clusterDir(cluster).length + 1);
  const kind = classifyTreePath(inTree).kind;
  return kind === 'env' || kind === 'chart' || inTree === TREE.readme;
}

/** Every generated file of the committed trees, with the files the layout names for a committed and two imagined clusters. */
function generatedFiles(): string[] {
  const committed = committedClusters.flatMap((c) => filesUnder(clusterDir(c)));
  const charts = committed.filter((p) => classifyTreePath(p.split('/').slice(2).join('/')).kind === 'chart');
  const chartFiles = [...new Set(charts.map((p) => p.split('/').slice(4).join('/')))];
  const imagined = ['dev', 'lab', 'lib'].flatMap((c) => [
    TREE.readme, TREE.bootstrap, TREE.appProject, TREE.platform('access'), TREE.platform('front-door'), TREE.namespace('alice'), TREE.namespace('x'),
    TREE.env({ developer: 'alice', project: 'shop' }), ...chartFiles.map((f) => `${TREE.chart('shop')}/${f}`),
  ].map((p) => `${clusterDir(c)}/${p}`));
  return [...committed, ...imagined];
}

/** Files under clusters/ that synth does not write: definitions, helper modules, anything put there. */
function handWrittenFiles(): string[] {
  const dir = DEFINITION_DIRS.cluster;
  const definitions = DEFINITION_EXTENSIONS.flatMap((ext) => [`${dir}/dev${ext}`, `${dir}/lab${ext}`, `${dir}/a-long-cluster-name${ext}`]);
  const helpers = IMPORT_EXTENSIONS.flatMap((ext) => [
    `${dir}/_helpers${ext}`, `${dir}/lib/helpers${ext}`, `${dir}/lib/deep/net${ext}`, `${dir}/dev/helpers${ext}`,
    // In a generated folder, but not a file synth writes there: still platform.
    `${clusterDir('dev')}/apps/envs/alice/shop${ext}`, `${clusterDir('dev')}/charts/shop/templates/hook${ext}`, `${clusterDir('dev')}/charts/shop/helpers${ext}`,
  ]);
  const other = ['dev.cts', 'Dev.TS', 'dev.d.ts', '.dev.ts', 'README.md', 'dev.yaml.bak', 'dev/apps/extra.yaml', 'dev/apps/envs/alice.yaml', 'dev/apps/envs/alice/shop/x.yaml', 'dev/charts/values.yaml']
    .map((p) => `${dir}/${p}`);
  return [...definitions, ...helpers, ...other];
}

/** Every path the platform team must own. */
function platformPaths(): string[] {
  return [
    ...handWrittenFiles(),
    ...generatedFiles().filter((p) => !isEnvFile(p.split('/')[1]!, p)),
    ...[...committedClusters, 'lab', 'lib'].map(tfvarsFile),
  ];
}

/** Every generated path one env owns: the devfleet team's alone. */
const envPaths = () => generatedFiles().filter((p) => isEnvFile(p.split('/')[1]!, p));

/** Paths in `paths` whose owners are not exactly `owners`. */
const misowned = (codeowners: string, paths: readonly string[], owners: readonly string[]) => {
  const rules = parseCodeowners(codeowners);
  return paths.filter((p) => JSON.stringify(ownersOf(rules, p)) !== JSON.stringify(owners));
};

describe('CODEOWNERS', () => {
  it('GIVEN the layout WHEN its parts are listed THEN each is placed as platform or env (a new part must be placed before CODEOWNERS can be checked)', () => {
    expect(Object.keys(TREE).sort()).toEqual(Object.keys(TREE_OWNER).sort());
    const parts = (Object.keys(TREE_OWNER) as (keyof typeof TREE)[]).filter((k) => TREE_OWNER[k] !== 'folder');
    for (const path of generatedFiles()) {
      expect(isGeneratedPath(path), path).toBe(true);
      const inTree = path.split('/').slice(2).join('/');
      const part = parts.find((k) => (typeof TREE[k] === 'string' ? inTree === partStart(k) : inTree.startsWith(partStart(k))));
      expect(part, `${path}: a generated file no part of layout.ts TREE names`).toBeDefined();
      expect(TREE_OWNER[part!] === 'env', path).toBe(isEnvFile(path.split('/')[1]!, path));
    }
  });

  it('GIVEN the committed CODEOWNERS WHEN every cluster definition format, helper module and generated platform file is looked up THEN the platform team owns each', () => {
    const paths = platformPaths();
    expect(paths).toEqual(expect.arrayContaining([
      'clusters/dev.ts', 'clusters/dev.mts', 'clusters/dev.yaml', 'clusters/dev.yml', 'clusters/dev.json', 'clusters/dev.cts', 'clusters/Dev.TS',
      'clusters/_helpers.ts', 'clusters/lib/helpers.ts', 'clusters/dev/apps/namespaces/x.yaml', 'clusters/dev/apps/appproject.yaml',
      'clusters/dev/apps/platform/access.yaml', 'clusters/dev/bootstrap/root.yaml', 'terraform/clusters/dev/devfleet.auto.tfvars.json',
    ]));
    expect(misowned(text, paths, [PLATFORM])).toEqual([]);
  });

  it('GIVEN the loader WHEN it decides which files are definitions THEN every one it would load is among the platform paths', () => {
    const names = [...DEFINITION_EXTENSIONS.map((e) => `dev${e}`), 'dev.cts', 'Dev.TS', 'dev.d.ts', '_helpers.ts'];
    const loaded = names.filter(isDefinitionFileName).map((n) => `${DEFINITION_DIRS.cluster}/${n}`);
    expect(loaded).toEqual(expect.arrayContaining(['clusters/dev.ts', 'clusters/dev.mts']));
    expect(loaded.filter((p) => !platformPaths().includes(p))).toEqual([]);
  });

  it('GIVEN the committed CODEOWNERS WHEN one env\'s generated files, project definitions and generator code are looked up THEN they stay with the devfleet team only', () => {
    const paths = [...envPaths(), 'projects/shop.ts', 'projects/_images.ts', 'generators/terraform/tfvars.ts'];
    expect(paths).toEqual(expect.arrayContaining(['clusters/dev/README.md', 'clusters/dev/apps/envs/alice/shop.yaml', 'clusters/dev/charts/shop/Chart.yaml', 'clusters/dev/charts/shop/values.schema.json', 'clusters/dev/charts/shop/templates/deployment.yaml']));
    expect(misowned(text, paths, [DEVFLEET])).toEqual([]);
  });

  it('GIVEN copies that lose the clusters/ line or carve out all of apps/ WHEN looked up THEN exactly the files they give away are reported', () => {
    const withoutClusters = text.split('\n').filter((l) => !l.startsWith('/clusters/ ')).join('\n');
    const lost = misowned(withoutClusters, platformPaths(), [PLATFORM]);
    expect(lost).toEqual(expect.arrayContaining(['clusters/dev.mts', 'clusters/lib/helpers.ts', 'clusters/dev/apps/namespaces/alice.yaml', 'clusters/dev/bootstrap/root.yaml']));
    expect(lost.filter((p) => p.startsWith('terraform/'))).toEqual([]);

    const wideCarveOut = `${text}\n/clusters/*/apps/  ${DEVFLEET}\n`;
    expect(misowned(wideCarveOut, platformPaths(), [PLATFORM]).filter((p) => !p.includes('/apps/'))).toEqual([]);
    expect(misowned(wideCarveOut, platformPaths(), [PLATFORM])).toEqual(expect.arrayContaining(['clusters/dev/apps/appproject.yaml', 'clusters/dev/apps/namespaces/alice.yaml', 'clusters/dev/apps/platform/access.yaml']));
  });

  it('GIVEN patterns WHEN matched THEN they follow GitHub\'s rules: last match wins, / anchors, trailing / is a folder, * stays in one segment, a last * takes direct children only, case counts', () => {
    const rules = parseCodeowners('*  @a\n/docs/  @b\n*.md  @c\n/src/*.ts  @d\nbuild/  @e\napps/*  @f\n/lib/**/x.js  @g\n/Cased  @h\n');
    expect(ownersOf(rules, 'README.md')).toEqual(['@c']);
    expect(ownersOf(rules, 'docs/guide/intro.txt')).toEqual(['@b']);
    expect(ownersOf(rules, 'docs')).toEqual(['@a']); // a file named docs is not the docs/ folder
    expect(ownersOf(rules, 'src/main.ts')).toEqual(['@d']);
    expect(ownersOf(rules, 'src/lib/main.ts')).toEqual(['@a']);
    expect(ownersOf(rules, 'pkg/build/out.js')).toEqual(['@e']); // one segment: any depth
    expect(ownersOf(rules, 'apps/a.txt')).toEqual(['@f']);
    expect(ownersOf(rules, 'apps/build-app/a.txt')).toEqual(['@a']); // GitHub's docs/* example
    expect(ownersOf(rules, 'lib/x.js')).toEqual(['@g']);
    expect(ownersOf(rules, 'lib/a/b/x.js')).toEqual(['@g']);
    expect(ownersOf(rules, 'Cased/file')).toEqual(['@h']);
    expect(ownersOf(rules, 'cased/file')).toEqual(['@a']);
    expect(ownersOf(parseCodeowners('/only/this  @x\n'), 'other/only/this')).toEqual([]);
    expect(ownersOf(parseCodeowners('/a/*.yaml  @x\n'), 'a/b.yaml/c.ts')).toEqual(['@x']); // a folder named like the file
  });
});
