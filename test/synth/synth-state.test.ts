/**
 * generators/synth/synth-state.ts: the record that lets a synth with nothing to do skip
 * generating. It must say "unchanged" only for the same inputs and the very files it recorded.
 */
import { appendFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { recordTree, synthFingerprint, unchangedTree } from '../../generators/synth/synth-state.ts';
import { tempRoot } from '../helpers/fixtures.ts';

const cluster = (developers: string[]) =>
  clusterModel('clusters/lab.yaml', { name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', developers: developers.map((name) => ({ name })), argocd: { repoURL: 'https://git.example.com/fleet.git' } } as never);
const project = (image: string) => projectModel('projects/web.yaml', { name: 'web', containers: [{ name: 'web', image, ports: [{ name: 'http', port: 80 }] }], routes: [{ host: 'web.com', port: 'http' }] } as never);
const plan = (developers: string[], image = 'nginx:1.27') => planFleet([cluster(developers)], [project(image)]).clusters[0]!;

/** A root with a generated-looking tree of two files and a tfvars file beside it. */
function synthesised(): { root: string; target: string; tfvars: string } {
  const root = tempRoot({ 'clusters/lab/apps/a.yaml': 'a: 1\n', 'clusters/lab/charts/web/Chart.yaml': 'name: web\n', 'terraform/clusters/lab/devfleet.auto.tfvars.json': '{}\n' });
  return { root, target: join(root, 'clusters', 'lab'), tfvars: join(root, 'terraform', 'clusters', 'lab', 'devfleet.auto.tfvars.json') };
}

describe('synthFingerprint', () => {
  it('GIVEN the same models twice WHEN fingerprinted THEN the same hash; a changed developer list or image THEN another', () => {
    const base = synthFingerprint(plan(['ann', 'bo']));
    expect(synthFingerprint(plan(['ann', 'bo']))).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(synthFingerprint(plan(['ann']))).not.toBe(base);
    expect(synthFingerprint(plan(['ann', 'bo'], 'nginx:1.28'))).not.toBe(base);
  });
});

describe('recordTree and unchangedTree', () => {
  it('GIVEN a recorded synth WHEN nothing changed THEN it reports the tree\'s file count; another fingerprint, root or cluster THEN unknown', () => {
    const { root, target, tfvars } = synthesised();
    expect(unchangedTree(root, 'lab', 'f1', target, [tfvars])).toBeUndefined();
    recordTree(root, 'lab', 'f1', target, [tfvars]);
    expect(unchangedTree(root, 'lab', 'f1', target, [tfvars])).toBe(2);
    expect(unchangedTree(root, 'lab', 'f2', target, [tfvars])).toBeUndefined();
    expect(unchangedTree(root, 'other', 'f1', target, [tfvars])).toBeUndefined();
    expect(unchangedTree(synthesised().root, 'lab', 'f1', target, [tfvars])).toBeUndefined();
  });

  it.each([
    ['a file edited (same size, new time)', (t: string) => utimesSync(join(t, 'apps', 'a.yaml'), new Date(2030, 0, 1), new Date(2030, 0, 1))],
    ['a file grown', (t: string) => appendFileSync(join(t, 'apps', 'a.yaml'), 'b: 2\n')],
    ['a file added', (t: string) => writeFileSync(join(t, 'apps', 'b.yaml'), 'b: 2\n')],
    ['a file removed', (t: string) => rmSync(join(t, 'apps', 'a.yaml'))],
  ])('GIVEN a recorded synth WHEN %s in the tree THEN the tree is not known unchanged', (_, change) => {
    const { root, target, tfvars } = synthesised();
    recordTree(root, 'lab', 'f1', target, [tfvars]);
    change(target);
    expect(unchangedTree(root, 'lab', 'f1', target, [tfvars])).toBeUndefined();
  });

  it('GIVEN a recorded synth WHEN the Terraform inputs beside the tree are removed THEN not unchanged; a synth that cannot stat them records nothing', () => {
    const { root, target, tfvars } = synthesised();
    recordTree(root, 'lab', 'f1', target, [tfvars]);
    rmSync(tfvars);
    expect(unchangedTree(root, 'lab', 'f1', target, [tfvars])).toBeUndefined();
    const fresh = synthesised();
    recordTree(fresh.root, 'lab', 'f1', fresh.target, [join(fresh.root, 'missing.json')]);
    expect(unchangedTree(fresh.root, 'lab', 'f1', fresh.target, [])).toBeUndefined();
  });
});
