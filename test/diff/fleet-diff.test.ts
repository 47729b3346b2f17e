/**
 * generators/diff/fleet-diff.ts: what a change to the definitions does to the fleet, computed
 * from two validated fleets (no git here: test/cli/commands/diff.test.ts runs `devfleet diff`
 * against a repository).
 */
import { describe, expect, it } from 'vitest';
import { diffFleets, type FleetSide } from '../../generators/diff/fleet-diff.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';

const cluster = (name: string, developers: string[]) =>
  clusterModel(`clusters/${name}.yaml`, { name, domain: `${name}.example.com`, timeZone: 'UTC', developers: developers.map((d) => ({ name: d })), argocd: { repoURL: 'https://git.example.com/fleet.git' } } as never);
const project = (name: string, image = 'nginx:1.27') =>
  projectModel(`projects/${name}.yaml`, { name, containers: [{ name: 'web', image, ports: [{ name: 'http', port: 80 }] }], routes: [{ host: `${name}.com`, port: 'http' }] } as never);
const side = (clusters: ReturnType<typeof cluster>[], projects: ReturnType<typeof project>[]): FleetSide => ({ fleet: planFleet(clusters, projects), problems: [] });
const base = (s: FleetSide) => ({ ...s, ref: 'main', commit: '0123456' });

describe('diffFleets', () => {
  it('GIVEN the same definitions on both sides WHEN diffed THEN every cluster is unchanged, with nothing to show, and both sides count their envs', () => {
    const fleet = () => side([cluster('lab', ['ann', 'bo'])], [project('web'), project('api')]);
    const diff = diffFleets(base(fleet()), fleet());
    expect(diff.base).toEqual({ ref: 'main', commit: '0123456', valid: true, problems: [], envs: 4 });
    expect(diff.head).toEqual({ valid: true, problems: [], envs: 4 });
    expect(diff.clusters.map((c) => [c.cluster, c.change, c.groups.length, c.files.length, c.charts.length])).toEqual([['lab', 'unchanged', 0, 0, 0]]);
    expect(diff.cost.before).toEqual(diff.cost.after);
  });

  it('GIVEN a developer added WHEN diffed THEN their envs are added, one group per project, and no existing env changed', () => {
    const diff = diffFleets(base(side([cluster('lab', ['ann'])], [project('web'), project('api')])), side([cluster('lab', ['ann', 'bo'])], [project('web'), project('api')]));
    const [lab] = diff.clusters;
    expect(lab!.change).toBe('changed');
    expect(lab!.envs.before).toBe(2);
    expect(lab!.envs.after).toBe(4);
    expect(lab!.envs.added.map((id) => `${id.developer}/${id.project}`)).toEqual(['bo/api', 'bo/web']);
    expect(lab!.envs.removed).toEqual([]);
    expect(lab!.envs.changed).toEqual([]);
    expect(lab!.groups.map((g) => [g.project, g.change, g.developers])).toEqual([
      ['api', 'added', ['bo']],
      ['web', 'added', ['bo']],
    ]);
    expect(lab!.charts).toEqual([]);
  });

  it("GIVEN a project's image changed WHEN diffed THEN each of its envs changed the same way, collapsed into one group whose patch shows the image, and its chart changed", () => {
    const diff = diffFleets(base(side([cluster('lab', ['ann', 'bo', 'cy'])], [project('web')])), side([cluster('lab', ['ann', 'bo', 'cy'])], [project('web', 'nginx:1.28')]));
    const [lab] = diff.clusters;
    expect(lab!.envs.changed.map((id) => id.developer)).toEqual(['ann', 'bo', 'cy']);
    expect(lab!.groups).toHaveLength(1);
    expect(lab!.groups[0]).toMatchObject({ project: 'web', change: 'changed', developers: ['ann', 'bo', 'cy'] });
    expect(lab!.groups[0]!.patch).toMatch(/^-.*image: "nginx:1\.27"$/m);
    expect(lab!.groups[0]!.patch).toMatch(/^\+.*image: "nginx:1\.28"$/m);
    expect(lab!.charts).toEqual([{ project: 'web', change: 'changed' }]);
  });

  it('GIVEN a cluster only on one side WHEN diffed THEN it is added or removed with all its envs', () => {
    const diff = diffFleets(base(side([cluster('lab', ['ann'])], [project('web')])), side([cluster('prod', ['ann'])], [project('web')]));
    expect(diff.clusters.map((c) => [c.cluster, c.change, c.envs.added.length, c.envs.removed.length])).toEqual([
      ['lab', 'removed', 0, 1],
      ['prod', 'added', 1, 0],
    ]);
  });

  it('GIVEN an invalid base WHEN diffed THEN no cluster is compared, and the base says why, one formatted problem per line', () => {
    const diff = diffFleets(
      { fleet: undefined, problems: [{ file: 'projects/web.yaml', path: 'containers[0].image', message: 'needs a tag' }], ref: 'main', commit: '0123456' },
      side([cluster('lab', ['ann'])], [project('web')]),
    );
    expect(diff.base).toEqual({ ref: 'main', commit: '0123456', valid: false, problems: ['projects/web.yaml: containers[0].image: needs a tag'], envs: 0 });
    expect(diff.head.envs).toBe(1);
    expect(diff.clusters).toEqual([]);
    expect(diff.cost.before).toBeUndefined();
    expect(diff.cost.after).toBeDefined();
  });
});
