/**
 * The real Helm (pinned, v3 as Argo CD bundles) is the judge of the charts: it lints every chart
 * and renders every env, and `devfleet render` must print exactly the same bytes.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import type { Env } from '../../generators/plan/plan.ts';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO, tempRoot } from '../helpers/fixtures.ts';
import { ARGOCD_HELM_VERSION, helm, helmVersion, valuesFile } from '../helpers/helm.ts';

/** What Argo CD passes to Helm for an env: its Application's valuesObject. */
function applicationValues(root: string, env: Env): unknown {
  const application = parse(
    readFileSync(join(root, 'clusters', env.cluster.name, 'apps', 'envs', env.developer, `${env.project.name}.yaml`), 'utf8'),
  ) as { spec: { source: { helm: { valuesObject: unknown; releaseName: string }; path: string } } };
  return application.spec.source.helm.valuesObject;
}

const fleets: [string, () => string][] = [
  ['the bundled examples', () => copyOfExamples()],
  ['the unseen definition set (test/fixtures/fleet-unseen)', () => {
    const root = tempRoot();
    cpSync(join(REPO, 'test', 'fixtures', 'fleet-unseen'), root, { recursive: true });
    return root;
  }],
];

describe.each(fleets)('real Helm on %s', (_name, makeRoot) => {
  let root: string;
  let envs: Env[];

  beforeAll(async () => {
    // The pinned Helm (tools/versions.env), the release the pinned Argo CD renders with (it refuses Helm v3).
    expect(helmVersion()).toMatch(new RegExp(`^${ARGOCD_HELM_VERSION.replaceAll('.', '\\.')}(\\+|$)`));
    root = makeRoot();
    const synth = await runCli('synth', '--root', root);
    expect(synth.code, synth.stderr).toBe(0);
    envs = (await loadFleet(root)).clusters.flatMap((c) => [...c.envs]);
    expect(envs.length).toBeGreaterThan(10);
  });

  it('GIVEN every generated chart WHEN helm lint runs with each env\'s values THEN it reports no failure', () => {
    const charts = new Map<string, Env>();
    for (const env of envs) if (!charts.has(env.project.name)) charts.set(env.project.name, env);
    for (const env of charts.values()) {
      const chart = join(root, 'clusters', env.cluster.name, 'charts', env.project.name);
      const lint = helm(['lint', chart, '--strict', '--namespace', env.namespace, '--values', valuesFile(applicationValues(root, env))]);
      expect(lint.code, `${chart}\n${lint.stdout}${lint.stderr}`).toBe(0);
      expect(lint.stdout).toContain('0 chart(s) failed');
    }
  });

  it('GIVEN every env WHEN Helm renders its chart with its Application values THEN devfleet render prints the same bytes', async () => {
    for (const env of envs) {
      const chart = join(root, 'clusters', env.cluster.name, 'charts', env.project.name);
      const expected = helm(['template', env.release, chart, '--namespace', env.namespace, '--values', valuesFile(applicationValues(root, env))]);
      expect(expected.code, expected.stderr).toBe(0);
      const ours = await runCli('render', '--root', root, '--cluster', env.cluster.name, '--env', `${env.developer}/${env.project.name}`);
      expect(ours.code, ours.stderr).toBe(0);
      expect(ours.stdout, `${env.developer}/${env.project.name}`).toBe(expected.stdout);
    }
  });

  it('GIVEN a chart WHEN rendered without env values THEN Helm refuses it by its values schema, naming the missing key', () => {
    const env = envs[0]!;
    const result = helm(['template', env.release, join(root, 'clusters', env.cluster.name, 'charts', env.project.name)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('values don\'t meet the specifications of the schema');
    expect(result.stderr).toContain('developer');
  });

  it('GIVEN a value that would break out of its YAML string WHEN Helm renders THEN values.schema.json rejects it', () => {
    const env = envs[0]!;
    const values = { ...(applicationValues(root, env) as Record<string, unknown>), developer: 'alice"\ninjected: true' };
    const result = helm(['template', env.release, join(root, 'clusters', env.cluster.name, 'charts', env.project.name), '--values', valuesFile(values)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/developer/);
  });
});

describe('real Helm on a volume two containers share', () => {
  it('GIVEN an app and its cron job whose persistent volumes name one claimName WHEN Helm renders an env THEN one PVC and one Pod volume, mounted by both at their paths, and devfleet render prints the same bytes', async () => {
    const root = copyOfExamples();
    const html = { persistent: true, size: '2Gi', claimName: 'cloud-html' };
    writeFileSync(
      join(root, 'projects', 'cloud.yaml'),
      stringify({
        name: 'cloud',
        containers: [
          { name: 'app', image: 'nextcloud:30.0.4-apache', ports: [{ name: 'http', port: 80 }], volumes: [{ path: '/var/www/html', ...html }] },
          { name: 'cron', image: 'nextcloud:30.0.4-apache', command: ['/cron.sh'], volumes: [{ path: '/srv/html', ...html }] },
        ],
        developers: ['alice'],
      }),
    );
    const synth = await runCli('synth', '--root', root);
    expect(synth.code, synth.stderr).toBe(0);
    const env = (await loadFleet(root)).clusters.flatMap((c) => [...c.envs]).find((e) => e.project.name === 'cloud')!;
    const chart = join(root, 'clusters', env.cluster.name, 'charts', 'cloud');
    const rendered = helm(['template', env.release, chart, '--namespace', env.namespace, '--values', valuesFile(applicationValues(root, env))]);
    expect(rendered.code, rendered.stderr).toBe(0);
    const objects = parseAllDocuments(rendered.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> });
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name)).toEqual(['cloud-html']);
    const pod = (objects.find((o) => o.kind === 'Deployment')!.spec.template as { spec: { volumes: unknown[]; containers: { name: string; volumeMounts: unknown[] }[] } }).spec;
    expect(pod.volumes).toEqual([{ name: 'app-html', persistentVolumeClaim: { claimName: 'cloud-html', readOnly: false } }]);
    expect(pod.containers.filter((c) => c.name !== 'devfleet-swap').map((c) => [c.name, c.volumeMounts])).toEqual([
      ['app', [{ name: 'app-html', mountPath: '/var/www/html' }]],
      ['cron', [{ name: 'app-html', mountPath: '/srv/html' }]],
    ]);
    const ours = await runCli('render', '--root', root, '--cluster', env.cluster.name, '--env', `${env.developer}/cloud`);
    expect(ours.stdout).toBe(rendered.stdout);
  }, 120_000);
});
