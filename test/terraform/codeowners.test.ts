/**
 * .github/CODEOWNERS puts the platform team on every cluster definition, whatever its format, and
 * on every generated file that changes the platform rather than one env: the platform manifests
 * and bootstrap under clusters/<cluster>/, and the Terraform inputs. A project PR that changes
 * any of them (e.g. a new aws.policies entry in the tfvars) cannot merge without the platform team.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/fixtures.ts';
import { ownersOf, parseCodeowners } from './lib/codeowners.ts';

const PLATFORM = '@example/platform';
const text = readFileSync(join(REPO, '.github/CODEOWNERS'), 'utf8');

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

/** Every path the platform team must own, with the committed generated files among them. */
function platformPaths(): string[] {
  const generated = readdirSync(join(REPO, 'clusters')).filter((e) => statSync(join(REPO, 'clusters', e)).isDirectory());
  return [
    'clusters/dev.ts', 'clusters/lab.yaml', 'clusters/lab.yml', 'clusters/lab.json',
    ...generated.flatMap((c) => [...filesUnder(`clusters/${c}/apps/platform`), ...filesUnder(`clusters/${c}/bootstrap`)]),
    ...readdirSync(join(REPO, 'terraform/clusters')).map((c) => `terraform/clusters/${c}/devfleet.auto.tfvars.json`),
    'terraform/clusters/lab/devfleet.auto.tfvars.json',
  ];
}

/** Paths in `paths` whose owners do not include the platform team. */
const unowned = (codeowners: string, paths: readonly string[]) => {
  const rules = parseCodeowners(codeowners);
  return paths.filter((p) => !ownersOf(rules, p).includes(PLATFORM));
};

describe('CODEOWNERS', () => {
  it('GIVEN the committed CODEOWNERS WHEN every cluster definition format and every generated platform file is looked up THEN the platform team owns each', () => {
    const paths = platformPaths();
    expect(paths).toEqual(expect.arrayContaining(['clusters/dev/apps/platform/access.yaml', 'clusters/dev/bootstrap/root.yaml', 'terraform/clusters/dev/devfleet.auto.tfvars.json']));
    expect(unowned(text, paths)).toEqual([]);
  });

  it('GIVEN the committed CODEOWNERS WHEN env files and generator code are looked up THEN they stay with the devfleet team only', () => {
    const rules = parseCodeowners(text);
    for (const path of ['clusters/dev/apps/envs/alice-shop.yaml', 'clusters/dev/charts/shop/Chart.yaml', 'projects/shop.ts', 'generators/terraform/tfvars.ts']) {
      expect(ownersOf(rules, path), path).toEqual(['@example/devfleet']);
    }
  });

  it('GIVEN a copy without the .yml and bootstrap lines WHEN looked up THEN exactly those files lose the platform team', () => {
    const broken = text.split('\n').filter((l) => !l.startsWith('/clusters/*.yml') && !l.startsWith('/clusters/*/bootstrap/')).join('\n');
    expect(unowned(broken, platformPaths())).toEqual(['clusters/lab.yml', ...platformPaths().filter((p) => /^clusters\/[^/]+\/bootstrap\//.test(p))]);
  });

  it('GIVEN patterns WHEN matched THEN they follow GitHub\'s rules: last match wins, / anchors, trailing / is a directory, * stays in one segment', () => {
    const rules = parseCodeowners('*  @a\n/docs/  @b\n*.md  @c\n/src/*.ts  @d\nbuild/  @e\n');
    expect(ownersOf(rules, 'README.md')).toEqual(['@c']);
    expect(ownersOf(rules, 'docs/guide/intro.txt')).toEqual(['@b']);
    expect(ownersOf(rules, 'docs')).toEqual(['@a']); // a file named docs is not the docs/ directory
    expect(ownersOf(rules, 'src/main.ts')).toEqual(['@d']);
    expect(ownersOf(rules, 'src/lib/main.ts')).toEqual(['@a']);
    expect(ownersOf(rules, 'pkg/build/out.js')).toEqual(['@e']); // unanchored: any depth
    expect(ownersOf(parseCodeowners('/only/this  @x\n'), 'other/only/this')).toEqual([]);
  });
});
