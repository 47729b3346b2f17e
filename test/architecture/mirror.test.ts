/**
 * Tests mirror the code they test (generators/README.md "Conventions"), in both directions:
 * `test/<dir>/<file>.test.ts` tests `generators/<dir>/<file>.ts`, `test/<dir>/<file>.<aspect>.test.ts`
 * one aspect of it (e.g. `synth/write-tree.atomic.test.ts`), and every module of generators/ has
 * such a test, or is named in COVERED_ELSEWHERE with the test that covers it. `test/hcl/` mirrors
 * terraform/modules/platform/ the same way. The folders in NOT_MIRRORED test something else, and
 * say what.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/fixtures.ts';

/** Test folders that do not mirror generators/, and what each mirrors instead. */
export const NOT_MIRRORED: Readonly<Record<string, string>> = {
  acceptance: 'the product as a whole: generated trees against the real schemas and unseen definition sets',
  architecture: 'generators/README.md: the layers and the conventions',
  bin: 'bin/: the build and the freshness of dist/',
  docs: 'README.md and docs/: the claims a command can check, and the links',
  e2e: 'the real-cluster tier (npm run test:e2e): a real Argo CD syncing the tree',
  integration: 'the real API server tier (npm run test:e2e)',
  scripts: 'scripts/ (the local cluster harness): its pure helpers, at their mirrored paths; the harness itself runs in the e2e tier',
  workflows: '.github/: workflows and CODEOWNERS',
  helpers: 'shared test helpers (not tests)',
  fixtures: 'definition sets and vendored CRDs (not tests)',
};

/** test/hcl/ files that check the whole terraform/ tree, not one file of the platform module. */
export const HCL_TREE_SUITES: Readonly<Record<string, string>> = {
  'hcl/conventions.test.ts': 'the terraform-aws-modules conventions of every .tf file',
  'hcl/fmt.test.ts': '`terraform fmt` of every .tf file',
  'hcl/tflint.test.ts': 'TFLint on every root and module',
  'hcl/checkov.test.ts': 'checkov on every root and module',
  'hcl/platform-roles.test.ts': "the platform's IAM roles and access entries, across eks.tf, karpenter.tf and addons.tf",
  'hcl/project-policies.test.ts': "the bundled examples' AWS policies against terraform/clusters/dev/",
};

/**
 * Modules (or folders, ending in `/`) with no test at their mirrored path, and the test that
 * covers them. Small modules a caller's test exercises whole belong here; a module with behaviour
 * of its own gets its own test (and leaves this list: an entry whose module has one fails).
 */
export const COVERED_ELSEWHERE: Readonly<Record<string, string>> = {
  'generators/bots/bin/diff-comment.ts': 'test/bots/publish-diff-comment.test.ts',
  'generators/bots/bin/new-project-prepare.ts': 'test/bots/prepare-new-project.test.ts',
  'generators/bots/bin/new-project-publish.ts': 'test/bots/prepare-new-project.test.ts',
  'generators/bots/bin/run-bot.ts': 'test/bots/publish-diff-comment.test.ts',
  'generators/bots/bot-error.ts': 'test/bots/open-or-update-pull-request.test.ts',
  'generators/bots/create-octokit.ts': 'test/bots/open-or-update-pull-request.test.ts',
  'generators/bots/get-pull-request-head.ts': 'test/bots/publish-diff-comment.test.ts',
  'generators/bots/new-project-artifact.ts': 'test/bots/prepare-new-project.test.ts',
  'generators/bots/publish-new-project.ts': 'test/bots/prepare-new-project.test.ts',
  'generators/bots/upsert-comment.ts': 'test/bots/publish-diff-comment.test.ts',
  'generators/chart/chart-object.ts': 'test/chart/project-chart.test.ts',
  'generators/chart/labels.ts': 'test/chart/project-chart.test.ts',
  'generators/cli/commands/': 'test/bin/devfleet.test.ts',
  'generators/cli/program/': 'test/cli/main.test.ts',
  'generators/cli/handle-error.ts': 'test/cli/main.test.ts',
  'generators/cli/io.ts': 'test/cli/main.test.ts',
  'generators/compose/write-pinned-images.ts': 'test/compose/official-images.test.ts',
  'generators/diff/format-markdown.ts': 'test/cli/commands/diff.test.ts',
  'generators/index.ts': 'test/bin/devfleet.test.ts',
  'generators/kube/kube-error.ts': 'test/kube/kube-api.test.ts',
  'generators/lifecycle/target.ts': 'test/cli/commands/up-down.test.ts',
  'generators/scaffold/build-project.ts': 'test/cli/commands/new.test.ts',
  'generators/scaffold/parse-issue-form.ts': 'test/scaffold/project-from-issue.hostile.test.ts',
  'generators/scaffold/scaffold-project.ts': 'test/cli/commands/new.test.ts',
  'generators/schema/project.ts': 'test/schema/schema-files.test.ts',
  'generators/schema/write-schemas.ts': 'test/schema/schema-files.test.ts',
  'generators/synth/cluster-tree.ts': 'test/synth/synth-fleet.test.ts',
  'generators/terraform/hcl.ts': 'test/hcl/conventions.test.ts',
  'generators/terraform/write-tfdocs.ts': 'test/terraform/tfdocs.test.ts',
  'generators/util/errors.ts': 'test/cli/main.test.ts',
  'generators/util/github-limits.ts': 'test/cli/commands/diff.test.ts',
  'generators/util/package-root.ts': 'test/definitions/bundle-definition.test.ts',
};

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return files(path, suffix);
      return entry.endsWith(suffix) ? [relative(REPO, path).split('\\').join('/')] : [];
    });
}

/** The file a test file tests (`test/` left off its path), or undefined for a test in a folder that tests something else. */
export function mirroredModule(testFile: string): string | undefined {
  if (NOT_MIRRORED[testFile.split('/')[0]!] !== undefined) return undefined;
  if (HCL_TREE_SUITES[testFile] !== undefined) return undefined;
  const base = testFile.replace(/\.test\.ts$/, '');
  const name = base.split('/').pop()!;
  const module = name.includes('.') ? base.slice(0, base.length - name.length) + name.slice(0, name.indexOf('.')) : base;
  if (module.startsWith('hcl/')) return `terraform/modules/platform/${module.slice('hcl/'.length)}.tf`;
  return `generators/${module}.ts`;
}

/** The test a module is covered by elsewhere, by its own entry or its folder's. */
function coveredElsewhere(module: string): string | undefined {
  return COVERED_ELSEWHERE[module] ?? Object.entries(COVERED_ELSEWHERE).find(([key]) => key.endsWith('/') && module.startsWith(key))?.[1];
}

const tests = files(join(REPO, 'test'), '.test.ts').map((f) => f.slice('test/'.length));
const modules = files(join(REPO, 'generators'), '.ts');
const tested = new Set(tests.map(mirroredModule).filter((m) => m !== undefined));

describe('test files mirror generators/', () => {
  it('GIVEN every test file WHEN its path is read THEN it names the file it tests, or sits in a folder that says what it tests instead', () => {
    const orphans = tests.flatMap((file) => {
      const module = mirroredModule(file);
      return module === undefined || existsSync(join(REPO, module)) ? [] : [`test/${file}: no ${module}; name the test after the module it tests, or move it to one of test/{${Object.keys(NOT_MIRRORED).join(',')}}/`];
    });
    expect(orphans).toEqual([]);
  });

  it('GIVEN every module of generators/ WHEN its mirrored test is looked for THEN it has one, or COVERED_ELSEWHERE names the test that covers it', () => {
    const untested = modules.filter((m) => !tested.has(m) && coveredElsewhere(m) === undefined);
    expect(untested.map((m) => `${m}: no test/${m.slice('generators/'.length).replace(/\.ts$/, '.test.ts')}; write it, or name the test that covers it in COVERED_ELSEWHERE`)).toEqual([]);
  });

  it('GIVEN COVERED_ELSEWHERE WHEN read THEN each entry names a module (or folder) without a test of its own, and a test that exists', () => {
    const stale = Object.entries(COVERED_ELSEWHERE).flatMap(([module, test]) => [
      ...(existsSync(join(REPO, test)) ? [] : [`${module}: its covering test ${test} does not exist`]),
      ...(module.endsWith('/')
        ? modules.some((m) => m.startsWith(module) && !tested.has(m) && COVERED_ELSEWHERE[m] === undefined)
          ? []
          : [`${module}: no module under it lacks a test; drop the entry`]
        : !existsSync(join(REPO, module))
          ? [`${module}: no such module; drop the entry`]
          : tested.has(module)
            ? [`${module}: has its own test now; drop the entry`]
            : []),
    ]);
    expect(stale).toEqual([]);
  });

  it('GIVEN every TypeScript file under test/ that is no test WHEN its place is read THEN it is a helper in test/helpers/ (or a fixture, or a set-up of the e2e tier)', () => {
    const misplaced = files(join(REPO, 'test'), '.ts').filter((f) => !f.endsWith('.test.ts') && !/^test\/(helpers|fixtures)\//.test(f) && !/^test\/(integration|e2e)\/[^/]+\.ts$/.test(f));
    expect(misplaced.map((f) => `${f}: a helper; move it to test/helpers/`)).toEqual([]);
  });

  it('GIVEN names of each kind WHEN mapped THEN a module test, an aspect of it, an HCL file test, a tree suite and an unmirrored folder are told apart', () => {
    expect(mirroredModule('synth/write-tree.test.ts')).toBe('generators/synth/write-tree.ts');
    expect(mirroredModule('synth/write-tree.atomic.test.ts')).toBe('generators/synth/write-tree.ts');
    expect(mirroredModule('cli/commands/up-down.test.ts')).toBe('generators/cli/commands/up-down.ts');
    expect(mirroredModule('hcl/access.annotations.test.ts')).toBe('terraform/modules/platform/access.tf');
    expect(mirroredModule('hcl/fmt.test.ts')).toBeUndefined();
    expect(mirroredModule('acceptance/fleet-unseen.test.ts')).toBeUndefined();
    expect(coveredElsewhere('generators/cli/program/list.ts')).toBe('test/cli/main.test.ts');
  });
});
