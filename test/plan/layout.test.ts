/** generators/plan/layout.ts: every path of the generated tree, said once, and read back. */
import { describe, expect, it } from 'vitest';
import { classifyTreePath, clusterDir, DEFINITION_DIRS, isGeneratedPath, TREE, tfvarsFile } from '../../generators/plan/layout.ts';

describe('the paths of a repository', () => {
  it("GIVEN a cluster WHEN its paths are asked for THEN its tree is clusters/<cluster>/ and its Terraform inputs sit in its Terraform root", () => {
    expect(DEFINITION_DIRS).toEqual({ project: 'projects', cluster: 'clusters' });
    expect(clusterDir('dev')).toBe('clusters/dev');
    expect(tfvarsFile('dev')).toBe('terraform/clusters/dev/devfleet.auto.tfvars.json');
  });

  it('GIVEN the parts of a tree WHEN their paths are asked for THEN each is where the README of the tree says', () => {
    expect([TREE.readme, TREE.bootstrap, TREE.appProject, TREE.platform('access'), TREE.namespace('alice'), TREE.env({ developer: 'alice', project: 'shop' }), TREE.chart('shop')]).toEqual([
      'README.md',
      'bootstrap/root.yaml',
      'apps/appproject.yaml',
      'apps/platform/access.yaml',
      'apps/namespaces/alice.yaml',
      'apps/envs/alice/shop.yaml',
      'charts/shop',
    ]);
  });
});

describe('classifyTreePath', () => {
  it('GIVEN paths written from TREE WHEN classified THEN an env and a chart file are read back to their parts, anything else is other', () => {
    expect(classifyTreePath(TREE.env({ developer: 'mary-jane', project: 'my-app' }))).toEqual({ kind: 'env', id: { developer: 'mary-jane', project: 'my-app' } });
    expect(classifyTreePath(`${TREE.chart('my-app')}/templates/deployment.yaml`)).toEqual({ kind: 'chart', project: 'my-app', file: 'templates/deployment.yaml' });
    for (const other of [TREE.readme, TREE.bootstrap, TREE.appProject, TREE.namespace('alice'), 'apps/envs/alice/shop/extra.yaml', 'apps/envs/alice.yaml', 'charts/shop']) {
      expect(classifyTreePath(other), other).toEqual({ kind: 'other' });
    }
  });
});

describe('isGeneratedPath', () => {
  it('GIVEN paths of a repository WHEN asked THEN files inside a cluster tree and the tfvars are generated; definitions, hand-written Terraform and stray names are not', () => {
    for (const path of ['clusters/dev/README.md', 'clusters/dev/apps/envs/alice/shop.yaml', `${clusterDir('dev')}/${TREE.chart('shop')}/Chart.yaml`, tfvarsFile('dev')]) expect(isGeneratedPath(path), path).toBe(true);
    for (const path of ['clusters/dev.ts', 'projects/shop.ts', 'terraform/clusters/dev/main.tf', 'terraform/clusters/dev/terraform.tfvars', 'clusters/Dev/README.md', 'clusters/dev/a b.yaml', 'clusters/dev/']) {
      expect(isGeneratedPath(path), path).toBe(false);
    }
  });
});
