/**
 * User text reaches the cluster unchanged through Helm: Go-template braces, quotes, backticks,
 * YAML 1.1 look-alikes and long values. Real Helm renders; the parsed result must equal the input,
 * and devfleet render must print the same bytes as Helm.
 */
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { envValues, mergedValues } from '../../generators/chart/chart-files.ts';
import { runCli } from '../helpers/cli.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { helm, valuesFile } from '../helpers/helm.ts';

const TRICKY: Record<string, string> = {
  GO_TEMPLATE: '{{.Time}} {{ .Level }} {{- .Trim -}}',
  TRIPLE: '{{{x}}} }}{{',
  BACKTICKS: '`{{`}}` and {{`raw`}}',
  QUOTES: 'say "hi" and \'bye\' \\ backslash',
  YES: 'yes',
  ON: 'on',
  OCTAL: '0755',
  NULLISH: '~',
  NUMBER: '1e3',
  HASH: '# not a comment',
  COLON: 'key: value',
  UNICODE: 'ｆｕｌｌｗｉｄｔｈ ünïcødé 東京 \u2028 line separator',
  MULTILINE: 'first line\n  second {{ line }}\nthird',
  LONG: `${'lorem ipsum {{dolor}} sit amet '.repeat(200)}end`,
};

const cluster = `name: dev
domain: dev.example.com
timeZone: Asia/Tokyo
developers: [{ name: alice }]
argocd: { repoURL: https://git.example.com/fleet.git }
`;

const project = {
  name: 'tricky',
  description: 'Described with {{ braces }} and "quotes"',
  containers: [
    {
      name: 'app',
      image: 'busybox:1.37',
      command: ['sh', '-c', 'echo "{{.Time}}" && exec sleep 1d'],
      args: ['{{', '}}', '--flag={{value}}'],
      env: TRICKY,
      ports: [{ name: 'http', port: 8080 }],
      volumes: [{ path: '/data/{{x}}', name: 'data', persistent: true }],
    },
    { name: 'db', image: 'postgres:17.2', volumes: [{ path: '/var/lib/postgresql/data', persistent: true }] },
  ],
  routes: [{ host: 'tricky', port: 'http', path: '/{{p}}' }],
};

describe('Helm literals', () => {
  it('GIVEN env values, commands and paths full of template syntax WHEN Helm renders the env THEN every string arrives unchanged and devfleet render matches Helm byte for byte', async () => {
    const root = tempRoot({ 'clusters/dev.yaml': cluster, 'projects/tricky.json': JSON.stringify(project, null, 2) });
    const synth = await runCli('synth', '--root', root);
    expect(synth.code, synth.stderr).toBe(0);
    const [plan] = (await loadFleet(root)).clusters;
    const env = plan!.envs[0]!;

    const rendered = helm(['template', env.release, join(root, 'clusters/dev/charts/tricky'), '--namespace', env.namespace, '--values', valuesFile(envValues(env))]);
    expect(rendered.code, rendered.stderr).toBe(0);
    const ours = await runCli('render', '--root', root, '--cluster', 'dev', '--env', 'alice/tricky');
    expect(ours.stdout).toBe(rendered.stdout);

    const objects = parseAllDocuments(rendered.stdout, { version: '1.1' }).map((d) => d.toJS()) as Record<string, any>[];
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const app = deployment.spec.template.spec.containers[0];
    expect(Object.fromEntries(app.env.map((e: { name: string; value: string }) => [e.name, e.value]))).toEqual(TRICKY);
    expect(app.command).toEqual(project.containers[0]!.command);
    expect(app.args).toEqual(project.containers[0]!.args);
    expect(app.volumeMounts[0].mountPath).toBe('/data/{{x}}');
    expect(deployment.metadata.annotations['devfleet.dev/description']).toBe(project.description);
    const ingress = objects.find((o) => o.kind === 'Ingress')!;
    expect(ingress.spec.rules[0].http.paths[0].path).toBe('/{{p}}');
    expect(ingress.spec.rules[0].host).toBe('tricky--alice.dev.example.com');
    // Two PVCs: Helm's order within a kind is the one render reproduces.
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name)).toEqual(['tricky-app-data', 'tricky-db-data']);
    expect(mergedValues(env.project, env)).toMatchObject({ developer: 'alice' });
  });
});
