/**
 * `devfleet render`'s document order (generators/render/render-env.ts) against the real Helm:
 * known kinds in Helm's install order, then kinds Helm does not know (custom resources such as
 * ExternalSecret) by kind name, each kind in file order. The generated charts alone cannot tell a
 * wrong rule from a right one (their file names sort like their kinds), so this chart is made to.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envValues } from '../../generators/chart/chart-files.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { renderEnv, type ChartCache } from '../../generators/render/render-env.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { helm, valuesFile } from '../helpers/helm.ts';

const object = (apiVersion: string, kind: string, name: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}-{{ .Release.Name }}\n`;

describe('document order', () => {
  it('GIVEN a chart whose file names sort against its kinds WHEN Helm and devfleet render it THEN both print the same bytes: Service, Deployment, then the unknown kinds by name', () => {
    const cluster = clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' } });
    const project = projectModel('projects/order.yaml', { name: 'order', containers: [{ name: 'app', image: 'busybox:1.37' }] });
    const env = planFleet([cluster], [project]).clusters[0]!.envs[0]!;
    const files = new Map<string, string>([
      ['Chart.yaml', 'apiVersion: v2\nname: order\nversion: 0.1.0\n'],
      ['values.yaml', 'developer: ""\n'],
      ['templates/a-zeta.yaml', object('example.com/v1', 'Zeta', 'z')],
      ['templates/b-password.yaml', object('generators.external-secrets.io/v1alpha1', 'Password', 'p')],
      ['templates/c-deployment.yaml', object('apps/v1', 'Deployment', 'd')],
      ['templates/d-alpha.yaml', object('example.com/v1', 'Alpha', 'a1')],
      ['templates/e-externalsecret.yaml', object('external-secrets.io/v1', 'ExternalSecret', 'e')],
      ['templates/f-service.yaml', object('v1', 'Service', 's')],
      ['templates/g-alpha.yaml', object('example.com/v1', 'Alpha', 'a2')],
    ]);
    const chart = join(tempRoot(), 'order');
    for (const [path, text] of files) {
      mkdirSync(dirname(join(chart, path)), { recursive: true });
      writeFileSync(join(chart, path), text);
    }
    const cache: ChartCache = new Map([[`${cluster.name}/${project.name}`, files]]);
    const ours = renderEnv(env, cache);
    const theirs = helm(['template', env.release, chart, '--namespace', env.namespace, '--values', valuesFile(envValues(env))]);
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(ours).toBe(theirs.stdout);
    expect([...ours.matchAll(/^kind: (\S+)$/gm)].map((m) => m[1])).toEqual(['Service', 'Deployment', 'Alpha', 'Alpha', 'ExternalSecret', 'Password', 'Zeta']);
  });
});
