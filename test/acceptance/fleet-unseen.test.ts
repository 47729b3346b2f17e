/**
 * An "unseen" definition set (test/fixtures/fleet-unseen/): a cluster and five multi-container
 * projects unlike the bundled examples — other domain, time zone and namespace prefix, envs behind
 * the cluster's front door (an `ingress.groups` the default mode ignores), hyphenated developer
 * names, projects limited to a few developers, TypeScript, YAML and JSON definitions, values that
 * template engines and YAML 1.1 readers mangle.
 *
 * The whole CLI runs on a temp copy (nothing is written into the repository) and everything it
 * generates is held to the schemas and the contract of test/acceptance/k8s-schemas.test.ts. Expectations are
 * written here from the definitions, never taken from the output.
 */
import type { EnvRow } from '../../generators/cli/commands/list.ts';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import type { ClusterPlan, Env } from '../../generators/plan/plan.ts';
import { clusterTree } from '../../generators/synth/cluster-tree.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { REPO, snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { clusterTreeErrors, frontDoorRoutingErrors, renderedEnvErrors, servedByInterceptorRoutes, treeObjects } from '../helpers/fleet-contracts.ts';
import { loadBalancers } from '../../generators/plan/alb-usage.ts';
import { shardCount, shardOf } from '../../generators/plan/argocd-shards.ts';
import { ENVS_PER_SHARD } from '../../generators/schema/cluster.ts';
import { writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { kubeSchemaErrors, parseManifests, schemaErrors, type KubeObject, type SourcedObject } from '../helpers/kube-schemas.ts';

const FIXTURE = join(REPO, 'test/fixtures/fleet-unseen');
const DOMAIN = 'stg.acme-labs.io';
const PREFIX = 'env-';

/** test/fixtures/fleet-unseen/clusters/staging.yaml, sorted. */
const DEVELOPERS = ['aiko', 'ben', 'chen-wei', 'dara', 'el-amin', 'gus', 'hana-lee', 'ivo', 'jo', 'kai-9', 'mary-jane-watson', 'maximilian-von-stein'];

/** Who gets an env of each project (its `developers` field), and the URLs of an env (its routes). */
const PROJECTS: Record<string, { developers: string[]; urls: (developer: string) => string[] }> = {
  'chat-bot': {
    developers: ['ben', 'dara', 'el-amin', 'gus', 'jo', 'kai-9'],
    urls: (d) => [`https://chatbot--${d}.${DOMAIN}/v1`],
  },
  'customer-self-service-portal': {
    developers: DEVELOPERS,
    urls: (d) => [`https://portal-acme-com--${d}.${DOMAIN}`, `https://api-portal-acme-com--${d}.${DOMAIN}/graphql`, `https://portal-admin--${d}.${DOMAIN}`],
  },
  ledger: {
    developers: DEVELOPERS,
    urls: (d) => [`https://books--${d}.${DOMAIN}/api`, `https://metrics-ledger--${d}.${DOMAIN}`],
  },
  'media-worker': {
    developers: ['hana-lee', 'ivo', 'maximilian-von-stein'],
    urls: () => [],
  },
  search: {
    developers: ['aiko', 'chen-wei', 'mary-jane-watson'],
    urls: (d) => [`https://search--${d}.${DOMAIN}`, `https://search-api--${d}.${DOMAIN}/_search`],
  },
};

const EXPECTED_PAIRS = Object.entries(PROJECTS)
  .flatMap(([project, { developers }]) => developers.map((developer) => `${developer}/${project}`))
  .sort();

type Row = EnvRow;

let root: string;
let validate: CliResult;
let synth: CliResult;
let list: CliResult;
let render: CliResult;
let rows: Row[];
let rendered: SourcedObject[];
let written: Record<string, string>;
let plan: ClusterPlan;

beforeAll(async () => {
  root = tempRoot();
  cpSync(FIXTURE, root, { recursive: true });
  validate = await runCli('validate', '--root', root);
  synth = await runCli('synth', '--root', root);
  list = await runCli('list', '--root', root, '--json');
  render = await runCli('render', '--root', root, '--cluster', 'staging');
  rows = list.code === 0 ? (JSON.parse(list.stdout) as Row[]) : [];
  rendered = render.code === 0 ? parseManifests(render.stdout, 'render --cluster staging') : [];
  written = snapshotTree(join(root, 'clusters', 'staging'));
  plan = (await loadFleet(root)).clusters[0]!;
  // The temp root is removed after the first test; everything needed is in memory now.
});

/** The rendered objects of each env, found by their devfleet labels. */
function renderedByEnv(): { byEnv: Map<Env, SourcedObject[]>; unassigned: SourcedObject[] } {
  const byEnv = new Map<Env, SourcedObject[]>(plan.envs.map((env) => [env, []]));
  const unassigned: SourcedObject[] = [];
  for (const s of rendered) {
    const labels = s.object.metadata?.labels ?? {};
    const env = plan.envs.find((e) => e.developer === labels['devfleet.dev/developer'] && e.project.name === labels['devfleet.dev/project']);
    if (env) byEnv.get(env)!.push(s);
    else unassigned.push(s);
  }
  return { byEnv, unassigned };
}

function deploymentsOf(project: string): { developer: string; deployment: KubeObject }[] {
  return rendered
    .filter((s) => s.object.kind === 'Deployment' && s.object.metadata?.labels?.['devfleet.dev/project'] === project)
    .map((s) => ({ developer: String(s.object.metadata?.labels?.['devfleet.dev/developer']), deployment: s.object }));
}

function containerEnv(deployment: KubeObject, container: string): Record<string, unknown> {
  const containers = (deployment.spec as { template: { spec: { containers: { name: string; env?: { name: string; value?: unknown; valueFrom?: unknown }[] }[] } } }).template.spec.containers;
  const found = containers.find((c) => c.name === container);
  if (!found) throw new Error(`no container ${container}`);
  return Object.fromEntries((found.env ?? []).map((e) => [e.name, 'valueFrom' in e ? e.valueFrom : e.value]));
}

function containerArgs(deployment: KubeObject, container: string): unknown {
  const containers = (deployment.spec as { template: { spec: { containers: { name: string; args?: unknown }[] } } }).template.spec.containers;
  return containers.find((c) => c.name === container)?.args;
}

describe('GIVEN the unseen definition set copied to a temp root', () => {
  it('WHEN validated THEN it exits 0 and counts the projects, the cluster and the envs the definitions imply', () => {
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toBe(`ok: ${Object.keys(PROJECTS).length} project(s), 1 cluster(s), ${EXPECTED_PAIRS.length} env(s)\n`);
  });

  it('WHEN synthesised THEN it exits 0, writes clusters/staging/ in the temp root only, exactly as clusterTree plans it', () => {
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    expect(synth.stdout).toMatch(new RegExp(`^clusters/staging/: ${Object.keys(PROJECTS).length} chart\\(s\\), ${EXPECTED_PAIRS.length} env\\(s\\), \\d+ file\\(s\\)\\n$`));
    expect(existsSync(join(FIXTURE, 'clusters', 'staging'))).toBe(false);
    expect(Object.keys(written).filter((p) => p.startsWith('apps/envs/')).sort()).toEqual(
      EXPECTED_PAIRS.map((pair) => `apps/envs/${pair}.yaml`).sort(),
    );
    expect(Object.keys(written).filter((p) => p.endsWith('/Chart.yaml')).sort()).toEqual(Object.keys(PROJECTS).map((p) => `charts/${p}/Chart.yaml`).sort());
    expect(written).toEqual(Object.fromEntries(clusterTree(plan)));
  });

  it('WHEN listed as JSON THEN the (developer, project) pairs, namespaces with the custom prefix and https URLs under the custom domain are the ones the definitions imply, and behind the front door no env joins an IngressGroup', () => {
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(rows.map((r) => `${r.developer}/${r.project}`).sort()).toEqual(EXPECTED_PAIRS);
    for (const row of rows) {
      expect(row, `${row.developer}/${row.project}`).toEqual({
        cluster: 'staging',
        developer: row.developer,
        project: row.project,
        namespace: `${PREFIX}${row.developer}`,
        application: `${row.project}--${row.developer}`,
        hosts: PROJECTS[row.project]!.urls(row.developer).map((url) => new URL(url).hostname),
        urls: PROJECTS[row.project]!.urls(row.developer),
        replicas: 0,
        ingressGroup: null,
        chart: `clusters/staging/charts/${row.project}`,
        // No argocd.url in the definition: the default, with the cluster's own Argo CD namespace.
        argocd: `https://localhost:8080/applications/gitops/${row.project}--${row.developer}`,
        argocdDeveloper: `https://localhost:8080/applications?labels=devfleet.dev%2Fdeveloper%3D${row.developer}`,
      });
    }
  });

  it('WHEN rendered THEN every env host and path is served by exactly one InterceptorRoute of the cluster, to its env\'s own Service and port, and there is no Ingress', () => {
    const { byEnv } = renderedByEnv();
    expect(frontDoorRoutingErrors(plan, byEnv)).toEqual([]);
    const served = servedByInterceptorRoutes(rendered.map((s) => s.object));
    expect(served).toHaveLength(EXPECTED_PAIRS.reduce((n, pair) => n + PROJECTS[pair.split('/')[1]!]!.urls(pair.split('/')[0]!).length, 0));
    expect(rendered.filter((s) => s.object.kind === 'Ingress')).toEqual([]);
    expect(loadBalancers(plan)).toEqual({ envTraffic: 1, total: 1 });
  });

  it('WHEN every env is rendered THEN each object validates against the Kubernetes OpenAPI schema and there is one Deployment per env', () => {
    expect(render.stderr).toBe('');
    expect(render.code).toBe(0);
    // schemaErrors: the External Secrets kinds by their CRDs, the rest by the Kubernetes schema.
    const errors = rendered.flatMap((s) => schemaErrors(s.object).map((e) => `${s.source}: ${e}`));
    expect(errors).toEqual([]);
    const deployments = rendered.filter((s) => s.object.kind === 'Deployment');
    expect(deployments.map((s) => `${String(s.object.metadata?.labels?.['devfleet.dev/developer'])}/${String(s.object.metadata?.name)}`).sort()).toEqual(EXPECTED_PAIRS);
  });

  it('WHEN every env is rendered THEN labels, names, replicas 0, PVC retention, env values and references between objects match the definitions', () => {
    const { byEnv, unassigned } = renderedByEnv();
    expect(unassigned.map((s) => s.source)).toEqual([]);
    expect([...byEnv.keys()].map((e) => `${e.developer}/${e.project.name}`).sort()).toEqual(EXPECTED_PAIRS);
    const errors = [...byEnv].flatMap(([env, objects]) => renderedEnvErrors(env, objects));
    expect(errors).toEqual([]);
  });

  it('WHEN synthesised THEN every Argo CD object of the written tree validates against the Argo CD CRDs and the tree keeps the contract', () => {
    const tree = new Map(Object.entries(written));
    const objects = treeObjects(tree);
    expect(objects.length).toBeGreaterThan(EXPECTED_PAIRS.length);
    expect(objects.flatMap((o) => schemaErrors(o.object).map((e) => `${o.file}: ${e}`))).toEqual([]);
    expect(clusterTreeErrors(plan, tree, renderedByEnv().byEnv)).toEqual([]);
    // Argo CD lives in the namespace the cluster names, and every env Application is there.
    expect(new Set(objects.filter((o) => o.object.kind === 'Application').map((o) => o.object.metadata?.namespace))).toEqual(new Set(['gitops']));
  });

  it('WHEN rendered THEN Go-template and Helm-template look-alikes and YAML 1.1 traps in env values and args reach every ledger container byte for byte', () => {
    const deployments = deploymentsOf('ledger');
    expect(deployments.map((d) => d.developer).sort()).toEqual(PROJECTS.ledger!.developers);
    for (const { developer, deployment } of deployments) {
      const env = containerEnv(deployment, 'api');
      expect(env, developer).toMatchObject({
        LOG_FORMAT: '{{.Time}} {{.Level}} {{.Message}}',
        HELM_LOOKALIKE: 'Hello {{ .Values.developer }} from {{ .Release.Name }} in {{ .Release.Namespace }}',
        HELM_LITERAL: '{{`{{`}}',
        UNBALANCED: '}} {{ {{{ }}}',
        UMASK: '0755',
        AUDIT: 'yes',
        TRACING: 'on',
        LEGACY: 'off',
        EMPTY: '',
        NULLISH: 'null',
        TILDE: '~',
        SEXAGESIMAL: '12:30',
        EXPONENT: '1e3',
        HEX: '0x1F',
        INFINITY: '.inf',
        MERGE_KEY: '<<',
        EQUALS: '=',
        PGPASSWORD: { secretKeyRef: { name: 'ledger-db', key: 'password' } },
        STRIPE_API_KEY: { secretKeyRef: { name: 'ledger.payments', key: 'stripe_api-key.v2' } },
      });
      expect(containerArgs(deployment, 'api'), developer).toEqual(['serve', '--listen=:8080', '--umask', '0755', '--verbose', 'on', '--format', '{{.Time}} {{.Level}}']);
    }
  });

  it('WHEN rendered THEN unquoted yes/on from YAML definitions arrive as the strings "yes"/"on", and the Go template of the chat bot is untouched', () => {
    const search = deploymentsOf('search');
    expect(search.map((d) => d.developer).sort()).toEqual(PROJECTS.search!.developers);
    for (const { developer, deployment } of search) {
      expect(containerEnv(deployment, 'opensearch'), developer).toMatchObject({ DISABLE_SECURITY_PLUGIN: 'yes', BOOTSTRAP_MEMORY_LOCK: 'on', FILE_MODE: '0755', OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m' });
      expect(containerEnv(deployment, 'dashboards'), developer).toMatchObject({ DISABLE_SECURITY_DASHBOARDS_PLUGIN: 'true', SERVER_BASEPATH: '', OPENSEARCH_HOSTS: '["http://127.0.0.1:9200"]' });
    }
    const bots = deploymentsOf('chat-bot');
    expect(bots.map((d) => d.developer).sort()).toEqual(PROJECTS['chat-bot']!.developers);
    for (const { developer, deployment } of bots) {
      expect(containerEnv(deployment, 'bot'), developer).toMatchObject({ REPLY_TEMPLATE: '{{.Time}} {{.User}}: {{.Text}}', STREAMING: 'yes', MODERATION: 'on', MAX_TOKENS: '4096' });
    }
  });

  it('WHEN rendered THEN the ~5,000-character value with spaces, the multi-line, padded and non-ASCII values of the JSON definition come out byte-exact', () => {
    const definition = JSON.parse(readFileSync(join(FIXTURE, 'projects/media-worker.json'), 'utf8')) as { containers: { name: string; env: Record<string, unknown>; args?: string[] }[] };
    const worker = definition.containers.find((c) => c.name === 'worker')!;
    const long = worker.env.RENDER_PROMPT as string;
    expect(long.length).toBeGreaterThanOrEqual(5000);
    expect(long.split(' ').length).toBeGreaterThan(500);
    const deployments = deploymentsOf('media-worker');
    expect(deployments.map((d) => d.developer).sort()).toEqual(PROJECTS['media-worker']!.developers);
    for (const { developer, deployment } of deployments) {
      const env = containerEnv(deployment, 'worker');
      expect(env.RENDER_PROMPT === long, `${developer}: RENDER_PROMPT differs`).toBe(true);
      expect(env, developer).toMatchObject({
        MEDIA_ENABLED: 'yes',
        HW_ACCEL: 'on',
        OUTPUT_MODE: '0755',
        MULTILINE: 'line one\nline two\n  indented line three\n',
        PADDED: '  leading and trailing spaces  ',
        UNICODE: 'Grüße aus São Paulo — 東京 ✓',
      });
      expect(containerArgs(deployment, 'worker'), developer).toEqual(worker.args);
      expect(containerArgs(deployment, 'redis'), developer).toEqual(['--save', '', '--appendonly', 'no']);
    }
  });

  it('WHEN rendered THEN the longest derived names stay within 63 characters (PVC of the portal exactly 63) and hosts are one label under the domain', () => {
    const names = rendered.map((s) => String(s.object.metadata?.name));
    expect(names.filter((n) => n.length > 63)).toEqual([]);
    expect(names).toContain('customer-self-service-portal-backend-for-frontend-session-store');
    expect('customer-self-service-portal-backend-for-frontend-session-store'.length).toBe(63);
    const hosts = servedByInterceptorRoutes(rendered.map((s) => s.object)).map((s) => s.host);
    expect(hosts).toContain(`portal-admin--maximilian-von-stein.${DOMAIN}`);
    expect(hosts.filter((h) => !new RegExp(`^[a-z0-9-]{1,63}\\.${DOMAIN.replaceAll('.', '\\.')}$`).test(h))).toEqual([]);
  });
});

describe('GIVEN a project with two routes on one host (different paths), which validate accepts', () => {
  const twoPathRoot = () =>
    tempRoot({
      'clusters/staging.yaml': readFileSync(join(FIXTURE, 'clusters/staging.yaml'), 'utf8'),
      'projects/shop.yaml': [
        'name: shop',
        'containers:',
        '  - name: web',
        '    image: nginx:1.27',
        '    ports: [{ name: http, port: 80 }]',
        '  - name: api',
        '    image: node:22.12-bookworm-slim',
        '    ports: [{ name: api, port: 3000 }]',
        'routes:',
        '  - { host: shop.acme.com, port: http }',
        '  - { host: shop.acme.com, port: api, path: /api }',
        'developers: [aiko]',
        '',
      ].join('\n'),
    });

  it('WHEN validated, listed and rendered THEN it is accepted and the two InterceptorRoutes (one per port) serve one path each of the one host', async () => {
    const dir = twoPathRoot();
    expect((await runCli('validate', '--root', dir)).code).toBe(0);
    const listed = JSON.parse((await runCli('list', '--root', dir, '--json')).stdout) as Row[];
    expect(listed.map((r) => r.urls)).toEqual([[`https://shop-acme-com--aiko.${DOMAIN}`, `https://shop-acme-com--aiko.${DOMAIN}/api`]]);
    expect(listed.map((r) => r.hosts)).toEqual([[`shop-acme-com--aiko.${DOMAIN}`, `shop-acme-com--aiko.${DOMAIN}`]]);
    const result = await runCli('render', '--root', dir, '--cluster', 'staging');
    expect(result.code).toBe(0);
    const objects = parseManifests(result.stdout, 'render');
    expect(objects.flatMap((s) => schemaErrors(s.object))).toEqual([]);
    expect(servedByInterceptorRoutes(objects.map((s) => s.object)).map((s) => `${s.host}${s.path} -> ${s.service}:${s.port}`).sort()).toEqual([
      `shop-acme-com--aiko.${DOMAIN}/ -> shop:http`,
      `shop-acme-com--aiko.${DOMAIN}/api -> shop:api`,
    ]);
  });

  it('WHEN the cluster gives envs their own Ingresses (ingress.mode ingress-groups) THEN the one Ingress serves both paths of the one host', async () => {
    const dir = twoPathRoot();
    const cluster = parse(readFileSync(join(dir, 'clusters/staging.yaml'), 'utf8')) as { ingress: Record<string, unknown> };
    writeFileSync(join(dir, 'clusters/staging.yaml'), stringify({ ...cluster, ingress: { ...cluster.ingress, mode: 'ingress-groups' } }));
    const objects = parseManifests((await runCli('render', '--root', dir, '--cluster', 'staging')).stdout, 'render');
    expect(objects.flatMap((s) => kubeSchemaErrors(s.object))).toEqual([]);
    const ingress = objects.find((s) => s.object.kind === 'Ingress')!.object as { spec: { rules: { host: string; http: { paths: { path: string }[] } }[] } };
    expect(ingress.spec.rules.flatMap((r) => r.http.paths.map((p) => `${r.host}${p.path}`))).toEqual([`shop-acme-com--aiko.${DOMAIN}/`, `shop-acme-com--aiko.${DOMAIN}/api`]);
    expect(objects.filter((s) => s.object.kind === 'InterceptorRoute')).toEqual([]);
  });

  // Regression: both routes share the values key "shop_acme_com"; it was listed twice in
  // values.schema.json (Helm refused the chart) and values.yaml.
  it('WHEN synthesised THEN Helm accepts the chart (valid values schema, unique values keys)', async () => {
    const dir = twoPathRoot();
    const twoPaths = (await loadFleet(dir)).clusters[0]!;
    const objects = parseManifests((await runCli('render', '--root', dir, '--cluster', 'staging')).stdout, 'render');
    expect(clusterTreeErrors(twoPaths, clusterTree(twoPaths), new Map([[twoPaths.envs[0]!, objects]]))).toEqual([]);
  });
});

describe('GIVEN the unseen definition set grown to 60 and to 10,000 envs (more developers; for 10,000 also copies of the ledger project)', () => {
  /**
   * The fixture with `extra` more developers (ledger and the portal, `developers: all`, get an env
   * for each) and `copies` more ledger projects (ledger-2, ...; other subdomains, as hosts must be
   * unique in the fleet, and other Secret names, as each env makes its Secrets in the developer's
   * namespace, shared with the other ledgers). A cluster holds at most 2,000 developers, hence the copies.
   */
  function grown(extra: number, copies: number): string {
    const dir = tempRoot();
    cpSync(FIXTURE, dir, { recursive: true });
    const file = join(dir, 'clusters/staging.yaml');
    const cluster = parse(readFileSync(file, 'utf8')) as { developers: { name: string }[]; quota: { persistentVolumeClaims: number } };
    cluster.developers.push(...Array.from({ length: extra }, (_, i) => ({ name: `guest-${String(i).padStart(4, '0')}` })));
    // Each ledger copy keeps one PVC per developer: the namespace quota grows with them (validate checks it).
    cluster.quota.persistentVolumeClaims += copies;
    writeFileSync(file, stringify(cluster));
    const ledger = readFileSync(join(FIXTURE, 'projects/ledger.ts'), 'utf8');
    for (let n = 2; n < copies + 2; n++) {
      const copy = ledger.replace("name: 'ledger'", `name: 'ledger-${n}'`).replace("subdomain: 'books'", `subdomain: 'books-${n}'`).replace("host: 'metrics.ledger'", `host: 'metrics.ledger-${n}'`)
        .replaceAll("secret: 'ledger-db'", `secret: 'ledger-${n}-db'`)
        .replaceAll("secret: 'ledger.payments'", `secret: 'ledger-${n}.payments'`);
      writeFileSync(join(dir, `projects/ledger-${n}.ts`), copy);
    }
    return dir;
  }

  // 6 chat-bot + 3 media-worker + 3 search envs, plus one portal and one ledger env per developer.
  it.each([
    [60, 12, 0],
    [10_000, 896, 9],
  ])('WHEN %i envs are validated and planned THEN validate accepts them with the definition\'s ingress settings unchanged, the cluster runs exactly one load balancer for all env traffic, and one Argo CD application controller per 1,000 envs, each holding its share', async (envs, extra, copies) => {
    const dir = grown(extra, copies);
    const result = await runCli('validate', '--root', dir);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`ok: ${Object.keys(PROJECTS).length + copies} project(s), 1 cluster(s), ${envs} env(s)\n`);
    const [grownPlan] = (await loadFleet(dir)).clusters;
    expect(grownPlan!.envs).toHaveLength(envs);
    expect(grownPlan!.envs.filter((e) => e.ingressGroup !== undefined)).toEqual([]);
    expect(loadBalancers(grownPlan!)).toEqual({ envTraffic: 1, total: 1 });
    // One Argo CD application controller per ENVS_PER_SHARD envs (docs/gitops.md): each used, none holding twice its share.
    const shards = shardCount(grownPlan!);
    expect(shards).toBe(Math.ceil(envs / ENVS_PER_SHARD));
    const perShard = new Array<number>(shards).fill(0);
    for (const env of grownPlan!.envs) perShard[shardOf(env.developer, shards)]!++;
    for (const count of perShard) expect(count).toBeGreaterThan(0);
    for (const count of perShard) expect(count).toBeLessThan((2 * envs) / shards);
  });
});
