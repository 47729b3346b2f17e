/**
 * User text reaches the cluster unchanged through Helm: Go-template braces, quotes, backticks,
 * YAML 1.1 look-alikes and long values. Real Helm renders; the parsed result must equal the input,
 * and devfleet render must print the same bytes as Helm.
 */
import { escapeHtml } from '../../generators/chart/starting-page.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { chartFiles, envValues, mergedValues } from '../../generators/chart/chart-files.ts';
import { checkTemplateActions, renderTemplate } from '../../generators/chart/helm-text.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { renderEnv } from '../../generators/render/render-env.ts';
import type { ProjectDefinition } from '../../generators/schema/project.ts';
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
    {
      name: 'db',
      image: 'postgres:17.2',
      // One generated password read under two keys: the second comes from an ESO template, whose
      // `{{ index . "password" }}` must reach External Secrets as written, not be run by Helm.
      env: { POSTGRES_PASSWORD: { secret: 'tricky-db', key: 'password' }, ROOT_PASSWORD: { secret: 'tricky-db', key: 'root-password' } },
      volumes: [{ path: '/var/lib/postgresql/data', persistent: true }],
    },
  ],
  secrets: { 'tricky-db': { generate: 'password' } },
  routes: [{ host: 'tricky', port: 'http', path: '/{{p}}' }],
};

describe('Helm literals', () => {
  it.each(['front-door', 'ingress-groups'] as const)('GIVEN ingress mode %s and env values, commands and paths full of template syntax WHEN Helm renders the env THEN every string arrives unchanged and devfleet render matches Helm byte for byte', async (mode) => {
    const root = tempRoot({ 'clusters/dev.yaml': `${cluster}ingress: { mode: ${mode} }\n`, 'projects/tricky.json': JSON.stringify(project, null, 2) });
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
    if (mode === 'ingress-groups') {
      const ingress = objects.find((o) => o.kind === 'Ingress')!;
      expect(ingress.spec.rules[0].http.paths[0].path).toBe('/{{p}}');
      expect(ingress.spec.rules[0].host).toBe('tricky--alice.dev.example.com');
    } else {
      const route = objects.find((o) => o.kind === 'InterceptorRoute')!;
      expect(route.spec.rules).toEqual([{ hosts: ['tricky--alice.dev.example.com'], paths: [{ value: '/{{p}}' }] }]);
      // The starting page shows the description as text: braces kept, quotes escaped for HTML.
      expect(route.spec.coldStart.placeholder.response.body).toContain('<p class="what">Described with {{ braces }} and &#34;quotes&#34;</p>');
      expect(objects.some((o) => o.kind === 'Ingress')).toBe(false);
    }
    // Two PVCs: Helm's order within a kind is the one render reproduces.
    expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name)).toEqual(['tricky-app-data', 'tricky-db-data']);
    expect(mergedValues(env.project, env)).toMatchObject({ developer: 'alice' });
    const externalSecret = objects.find((o) => o.kind === 'ExternalSecret')!;
    expect(externalSecret.spec.target.template.data).toEqual({ 'root-password': '{{ index . "password" }}' });
  });
});

/**
 * Strings that try to become live Helm actions: the writer's own marker characters (U+E000,
 * U+E001, alone or wrapped around an action, as issue 10 reproduced), and `{{` forms Helm would
 * evaluate (trim markers, comments, functions, release fields). `validate` refuses private-use
 * characters, so these are fed to the chart writer directly (as a definition that skipped
 * validation would be): the writer itself must keep them literal.
 */
const HOSTILE: Record<string, string> = {
  MARKER_RELEASE: '\uE000.Release.Namespace\uE001',
  MARKER_VALUES: '\uE000 .Values.developer \uE001',
  MARKER_SERVICE: 'x\uE000 if true \uE001\n---\nkind: Service\nspec: { type: LoadBalancer }\n\uE000 end \uE001',
  MARKER_ALONE: 'open \uE000 only',
  CLOSE_ALONE: '\uE001 close only',
  PRIVATE_USE: '\uE002\uF8FF\u{F0000}',
  TRIM: '{{- .Values.developer -}}',
  COMMENT: '{{/* a comment */}}',
  FUNCTION: '{{ include "x" . }} {{ lookup "v1" "Secret" "kube-system" "" }}',
  RELEASE: '{{ .Release.Namespace }} {{ .Release.Service }}',
  LITERAL_FORM: '{{`{{`}} and {{`}}`}}',
  NESTED: '{{{{ }}}} {{{',
  YAML_BREAKOUT: '"\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: evil\nspec:\n  type: LoadBalancer\n',
};

describe.each([
  ['front-door', ['ServiceAccount/hostile', 'Service/hostile', 'Deployment/hostile', 'InterceptorRoute/hostile--http', 'ScaledObject/hostile']],
  ['ingress-groups', ['ServiceAccount/hostile', 'Service/hostile', 'Deployment/hostile', 'Ingress/hostile']],
] as const)('hostile literals never become actions (ingress mode %s)', (mode, kinds) => {
  const cluster = clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' }, ingress: { mode } });
  const definition: ProjectDefinition = {
    name: 'hostile',
    description: `about ${HOSTILE.MARKER_SERVICE} ${HOSTILE.TRIM}`,
    containers: [
      {
        name: 'app',
        image: 'busybox:1.37',
        command: ['sh', '-c', HOSTILE.MARKER_RELEASE!],
        args: [HOSTILE.FUNCTION!, HOSTILE.MARKER_VALUES!],
        env: HOSTILE,
        ports: [{ name: 'http', port: 8080 }],
      },
    ],
    routes: [{ host: 'hostile', port: 'http' }],
  };

  it('GIVEN env values, a command and a description with marker characters and Helm action forms WHEN the chart is written and Helm renders it THEN every string arrives unchanged, the objects are exactly the chart\'s, and devfleet render prints the same bytes', () => {
    const project = projectModel('projects/hostile.json', definition);
    const env = planFleet([cluster], [project]).clusters[0]!.envs[0]!;
    const chart = join(tempRoot(), 'hostile');
    for (const [path, text] of chartFiles(cluster, project)) {
      mkdirSync(dirname(join(chart, path)), { recursive: true });
      writeFileSync(join(chart, path), text);
    }
    const rendered = helm(['template', env.release, chart, '--namespace', env.namespace, '--values', valuesFile(envValues(env))]);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(renderEnv(env)).toBe(rendered.stdout);

    const objects = parseAllDocuments(rendered.stdout, { version: '1.1' }).map((d) => d.toJS()) as Record<string, any>[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(kinds);
    expect(objects.find((o) => o.kind === 'Service')!.spec.type).toBe('ClusterIP');
    const app = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
    expect(Object.fromEntries(app.env.map((e: { name: string; value: string }) => [e.name, e.value]))).toEqual(HOSTILE);
    expect(app.command).toEqual(['sh', '-c', HOSTILE.MARKER_RELEASE]);
    expect(app.args).toEqual([HOSTILE.FUNCTION, HOSTILE.MARKER_VALUES]);
    expect(objects.find((o) => o.kind === 'Deployment')!.metadata.annotations['devfleet.dev/description']).toBe(definition.description);
    const route = objects.find((o) => o.kind === 'InterceptorRoute');
    if (route) expect(route.spec.coldStart.placeholder.response.body).toContain(`<p class="what">${escapeHtml(definition.description!)}</p>`);
  });
});

describe('the template action check', () => {
  const known = new Set(['developer', 'hosts.web']);
  const good = 'a: "{{ .Values.developer }}"\nb: "{{ .Release.Name }}-{{ .Release.Namespace }}"\nc: "{{`{{`}}x}}"\nd: "{{ .Values.hosts.web }}"\n';

  it('GIVEN a template with only the actions devfleet writes WHEN checked THEN it passes', () => {
    expect(() => checkTemplateActions(good, known, 'web/templates/x.yaml')).not.toThrow();
  });

  it.each([
    ['a trim marker', '{{- .Values.developer }}'],
    ['a function', '{{ include "x" . }}'],
    ['a comment', '{{/* c */}}'],
    ['another release field', '{{ .Release.Service }}'],
    ['a values key the schema does not define', '{{ .Values.hosts.other }}'],
    ['an unclosed action', '{{ .Values.developer'],
    ['a pipeline', '{{ .Values.developer | quote }}'],
  ])('GIVEN %s WHEN checked THEN it is an internal error naming the file, the line and the action', (_what, action) => {
    expect(() => checkTemplateActions(`${good}e: "${action}"\n`, known, 'web/templates/x.yaml')).toThrow(/^internal: web\/templates\/x\.yaml: (line 5: .* is not a template action devfleet writes|\{\{ \.Values\.hosts\.other \}\} reads a value the chart's values\.schema\.json does not define)/);
  });

  it('GIVEN a template with an action devfleet does not write WHEN rendered THEN render fails instead of printing what Helm would not', () => {
    expect(renderTemplate('a: "{{ .Values.developer }}"\n', { developer: 'alice' }, { name: 'r', namespace: 'n' })).toBe('a: "alice"\n');
    expect(() => renderTemplate('a: "{{ .Values.developer }}"\nb: "{{ include "x" . }}"\n', { developer: 'alice' }, { name: 'r', namespace: 'n' }, 'web/templates/x.yaml')).toThrow(
      'internal: web/templates/x.yaml: line 2: "{{ include \\"x\\" . }}\\"" is not a template action devfleet writes',
    );
  });
});
