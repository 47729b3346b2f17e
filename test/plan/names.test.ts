/**
 * Derived names (generators/plan/names.ts): the one shortening function, every derivation at the
 * longest names the schemas allow, and a definition set at those limits (test/fixtures/
 * fleet-long-names) that validates, synthesises and renders with the real Helm to objects whose
 * every name is within its limit and unique.
 */
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { EnvRow } from '../../generators/cli/commands/list.ts';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import type { Fleet, Env } from '../../generators/plan/plan.ts';
import { recurrenceLabel } from '../../generators/plan/schedule.ts';
import { renderEnv } from '../../generators/render/render-env.ts';
import {
  CLUSTER_NAME_MAX, CONTAINER_NAME_MAX, DEVELOPER_NAME_MAX, NAMESPACE_PREFIX_MAX, PROJECT_NAME_MAX, ROUTE_LABEL_MAX, VOLUME_NAME_MAX,
} from '../../generators/schema/common.ts';
import {
  appProjectName, applicationName, claimName, defaultVolumeName, fitName, HASH_LENGTH, hostLabel, ingressGroupName, interceptorRouteName, LIMITS, namespaceName,
  passwordName, podVolumeName, projectRoleName, releaseName, rootApplicationName, routeLabel, routeValuesKey, scheduleJobName,
} from '../../generators/plan/names.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { REPO, snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { clusterTreeErrors, frontDoorRoutingErrors, renderedEnvErrors, treeObjects } from '../helpers/fleet-contracts.ts';
import { helm, helmVersion, valuesFile } from '../helpers/helm.ts';
import { isDnsLabel, isDnsSubdomain, isLabelValue, parseManifests, schemaErrors, type KubeObject, type SourcedObject } from '../helpers/kube-schemas.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** A valid name of exactly n characters: `first` then b's. */
const longest = (n: number, first = 'a') => (first + 'b'.repeat(n - 1)).slice(0, n);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** IAM role names: letters, digits and +=,.@_- (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). */
const IAM_NAME = /^[\w+=,.@-]+$/;

describe('fitName', () => {
  it('GIVEN a name within the limit WHEN fitted THEN it is returned unchanged', () => {
    expect(fitName('shop--alice', 63)).toBe('shop--alice');
    expect(fitName(longest(63), 63)).toBe(longest(63));
  });

  it('GIVEN a name one character over the limit WHEN fitted THEN it is cut to the limit and ends in "-" and the first 8 hex digits of its SHA-256', () => {
    const full = longest(64);
    const fitted = fitName(full, 63);
    expect(fitted).toBe(`${full.slice(0, 54)}-${sha256(full).slice(0, 8)}`);
    expect(fitted).toHaveLength(63);
    expect(HASH_LENGTH).toBe(8);
  });

  it('GIVEN a known long Application name WHEN fitted THEN the result is this exact, committed value (the format cannot drift silently)', () => {
    expect(applicationName('customer-self-service-portal-for-partner', 'christopher-alexander-montgomery-smith2')).toBe('customer-self-service-portal-for-partner--christopher-b0803319');
  });

  it('GIVEN a cut that would end on hyphens WHEN fitted THEN the hyphens before the hash are dropped, so the result stays a DNS label', () => {
    // The first 54 characters end with the separator "--".
    const full = `${longest(52, 'p')}--${longest(20, 'd')}`;
    const fitted = fitName(full, 63);
    expect(fitted).toBe(`${longest(52, 'p')}-${sha256(full).slice(0, 8)}`);
    expect(fitted).toMatch(DNS_LABEL);
  });

  it('GIVEN two long names that share the kept prefix WHEN fitted THEN they differ (the hash is of the whole name) and fitting again gives the same results', () => {
    const a = `${longest(60)}-one`;
    const b = `${longest(60)}-two`;
    expect(fitName(a, 63)).not.toBe(fitName(b, 63));
    expect(fitName(a, 63).slice(0, 54)).toBe(fitName(b, 63).slice(0, 54));
    expect(fitName(a, 63)).toBe(fitName(a, 63));
  });

  it('GIVEN a limit too small for a hash WHEN a longer name is fitted THEN it throws instead of returning a name over the limit', () => {
    expect(() => fitName('abcdefghijk', 9)).toThrow('cannot fit');
  });
});

describe('derived names at the schema limits', () => {
  const project = longest(PROJECT_NAME_MAX, 'p');
  const developer = longest(DEVELOPER_NAME_MAX, 'd');
  const cluster = longest(CLUSTER_NAME_MAX, 'c');
  const prefix = longest(NAMESPACE_PREFIX_MAX, 'n');
  const container = longest(CONTAINER_NAME_MAX, 'k');
  const volume = longest(VOLUME_NAME_MAX, 'v');
  /** The longest recurrence label: six days are spelled out (seven is "daily"). */
  const recurrence = recurrenceLabel({ time: '23:45', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] });

  it('GIVEN the limits WHEN read THEN developers get GitHub\'s 39 characters and projects 40', () => {
    expect([DEVELOPER_NAME_MAX, PROJECT_NAME_MAX]).toEqual([39, 40]);
    expect(LIMITS).toEqual({ dnsLabel: 63, dnsSubdomain: 253, labelValue: 63, cronJobName: 52, helmRelease: 53, iamRoleName: 64 });
  });

  it.each([
    ['Application (instance label value)', () => applicationName(project, developer), `${project}--${developer}`, LIMITS.labelValue],
    ['host label', () => hostLabel(longest(ROUTE_LABEL_MAX, 'r'), developer), `${longest(ROUTE_LABEL_MAX, 'r')}--${developer}`, LIMITS.dnsLabel],
    ['project IAM role', () => projectRoleName(cluster, project), `devfleet-${cluster}--${project}`, LIMITS.iamRoleName],
  ])('GIVEN the longest names WHEN the %s name is derived THEN it is shortened to exactly its limit, ending in the hash of the whole name', (_what, derive, full, limit) => {
    expect(full.length).toBeGreaterThan(limit);
    expect(derive()).toBe(`${full.slice(0, limit - 9)}-${sha256(full).slice(0, 8)}`);
    expect(derive()).toHaveLength(limit);
  });

  it.each([
    ['namespace', () => namespaceName(prefix, developer), `${prefix}${developer}`, LIMITS.dnsLabel],
    ['Helm release (and the Deployment, Service, ServiceAccount, Ingress named after it)', () => releaseName(project), project, Math.min(LIMITS.helmRelease, LIMITS.dnsLabel)],
    ['sleep CronJob', () => scheduleJobName('sleep', recurrence), `devfleet-sleep-${recurrence}`, LIMITS.cronJobName],
    ['AppProject of the platform', () => `${appProjectName(cluster)}-platform`, `devfleet-${cluster}-platform`, LIMITS.dnsLabel],
    ['root Application', () => rootApplicationName(cluster), `devfleet-${cluster}-root`, LIMITS.labelValue],
    ['IngressGroup', () => ingressGroupName(cluster, 999), `devfleet-${cluster}-999`, LIMITS.dnsLabel],
    ['Pod volume', () => podVolumeName(container, volume), `${container}-${volume}`, LIMITS.dnsLabel],
  ])('GIVEN the longest names WHEN the %s name is derived THEN the schema limits keep it whole and within its limit', (_what, derive, full, limit) => {
    expect(derive()).toBe(full);
    expect(derive().length).toBeLessThanOrEqual(limit);
    expect(derive()).toMatch(DNS_LABEL);
  });

  it('GIVEN the longest names WHEN the PVC name (Helm template text, never shortened) is derived THEN it is a DNS subdomain within 253 characters', () => {
    const name = claimName(releaseName(project), container, volume);
    expect(name).toHaveLength(PROJECT_NAME_MAX + CONTAINER_NAME_MAX + VOLUME_NAME_MAX + 2);
    expect(isDnsSubdomain(name)).toBe(true);
  });

  it('GIVEN the longest names WHEN shortened names are derived THEN they are DNS labels and IAM names', () => {
    expect(applicationName(project, developer)).toMatch(DNS_LABEL);
    expect(hostLabel(longest(ROUTE_LABEL_MAX, 'r'), developer)).toMatch(DNS_LABEL);
    expect(projectRoleName(cluster, project)).toMatch(IAM_NAME);
  });

  it('GIVEN developers at the limit that differ only in their last character WHEN their names are derived THEN every derived name differs', () => {
    const [a, b] = [`${longest(DEVELOPER_NAME_MAX - 1, 'd')}x`, `${longest(DEVELOPER_NAME_MAX - 1, 'd')}y`];
    expect(applicationName(project, a)).not.toBe(applicationName(project, b));
    expect(hostLabel(longest(ROUTE_LABEL_MAX, 'r'), a)).not.toBe(hostLabel(longest(ROUTE_LABEL_MAX, 'r'), b));
    expect(namespaceName(prefix, a)).not.toBe(namespaceName(prefix, b));
  });

  it('GIVEN names that differ only in where a hyphen sits WHEN joined THEN the results differ (the -- separator)', () => {
    expect(applicationName('a-b', 'c')).not.toBe(applicationName('a', 'b-c'));
    expect(projectRoleName('a-b', 'c')).not.toBe(projectRoleName('a', 'b-c'));
    expect(hostLabel(routeLabel('a-b.com'), 'x')).toBe('a-b-com--x');
  });

  it('GIVEN parts that differ only in where a hyphen sits WHEN an InterceptorRoute name is derived THEN the results differ (the -- separator); a Password generator is named after its Secret', () => {
    expect(interceptorRouteName('a-b', 'c')).toBe('a-b--c');
    expect(interceptorRouteName('a', 'b-c')).toBe('a--b-c');
    expect(passwordName('my-app-db')).toBe('my-app-db');
  });

  it('GIVEN parts that differ only in where a hyphen sits WHEN a claim or Pod volume name is derived THEN they meet: these names keep their single hyphens (existing claims keep their data), and validate refuses the meeting (definitions/check-object-names.ts)', () => {
    expect(claimName('my', 'app-mysql', 'mysql')).toBe('my-app-mysql-mysql');
    expect(claimName('my-app', 'mysql', 'mysql')).toBe('my-app-mysql-mysql');
    expect(podVolumeName('b-c', 'd')).toBe(podVolumeName('b', 'c-d'));
  });

  it.each([
    ['/var/lib/mysql', 'mysql'],
    ['/data/db', 'db'],
    ['/var/lib/postgresql/data/', 'data'],
    ['/', 'root'],
    ['/srv/My_Uploads.v2', 'my-uploads-v2'],
    ['/0123', 'data'],
    ['/a-very-long-directory-name-indeed', 'a-very-long-dir'],
  ])('GIVEN the mount path %s WHEN the default volume name is derived THEN it is %s', (path, name) => {
    expect(defaultVolumeName(path)).toBe(name);
    expect(name.length).toBeLessThanOrEqual(VOLUME_NAME_MAX);
  });

  it('GIVEN a route label WHEN used as a Helm values key THEN it is a Go identifier', () => {
    expect(routeValuesKey('api-my-app-com')).toBe('api_my_app_com');
  });
});

describe('names of objects that hold data', () => {
  // The claims of the bundled examples as they were before issue 17: existing envs hold their data
  // in these PVCs, so the names must never move (docs/envs.md "What every env gets").
  const BUNDLED_CLAIMS = ['my-app-mysql-mysql', 'notes-api-mongo-db', 'shop-postgres-pgdata'];

  it('GIVEN the committed tree of the bundled examples WHEN its PVC templates are read THEN the claims are exactly the ones envs already hold', () => {
    const charts = join(REPO, 'clusters/dev/charts');
    const claims = readdirSync(charts).flatMap((chart) =>
      readdirSync(join(charts, chart, 'templates'))
        .filter((file) => file.startsWith('persistentvolumeclaim-'))
        .map((file) => String(parse(readFileSync(join(charts, chart, 'templates', file), 'utf8')).metadata.name).replace('{{ .Release.Name }}', chart)),
    );
    expect(claims.sort()).toEqual(BUNDLED_CLAIMS);
  });

  it('GIVEN the bundled definitions WHEN planned and rendered now THEN every env mounts exactly those claims', async () => {
    const fleet = await loadFleet(REPO);
    const claims = new Set<string>();
    for (const env of fleet.clusters.flatMap((c) => c.envs)) {
      for (const object of parseManifests(renderEnv(env), env.application)) if (object.object.kind === 'PersistentVolumeClaim') claims.add(String(object.object.metadata?.name));
    }
    expect([...claims].sort()).toEqual(BUNDLED_CLAIMS);
  });
});

// ---------------------------------------------------------------------------------------------
// A definition set at the limits: test/fixtures/fleet-long-names
// ---------------------------------------------------------------------------------------------

const FIXTURE = join(REPO, 'test/fixtures/fleet-long-names');
const LONGEST_DEVELOPER = 'christopher-alexander-montgomery-smith2';
const LONGEST_PROJECT = 'customer-self-service-portal-for-partner';

/** A generated object with where it lives: its cluster and, for namespaced objects, its namespace. */
interface Placed {
  readonly cluster: string;
  readonly where: string;
  readonly namespace: string | undefined;
  readonly object: KubeObject;
}

describe('GIVEN the long-names definition set (test/fixtures/fleet-long-names) copied to a temp root', () => {
  let root: string;
  let validate: CliResult;
  let synth: CliResult;
  let listed: CliResult;
  let fleet: Fleet;
  const trees = new Map<string, Map<string, string>>();
  const helmRendered = new Map<Env, string>();
  const rendered = new Map<Env, SourcedObject[]>();
  let tfvars: Map<string, { pod_identity_associations: Record<string, { project: string; role_name: string }> }>;

  beforeAll(async () => {
    root = tempRoot();
    cpSync(FIXTURE, root, { recursive: true });
    validate = await runCli('validate', '--root', root);
    synth = await runCli('synth', '--root', root);
    listed = await runCli('list', '--root', root, '--json');
    fleet = await loadFleet(root);
    expect(helmVersion()).toMatch(/^v\d+\./);
    tfvars = new Map();
    for (const plan of fleet.clusters) {
      const name = plan.cluster.name;
      trees.set(name, new Map(Object.entries(snapshotTree(join(root, 'clusters', name)))));
      tfvars.set(name, JSON.parse(readFileSync(join(root, 'terraform', 'clusters', name, 'devfleet.auto.tfvars.json'), 'utf8')));
      for (const env of plan.envs) {
        // What Argo CD asks Helm for: the Application's release name, destination and values.
        const application = parse(trees.get(name)!.get(`apps/envs/${env.developer}/${env.project.name}.yaml`)!) as {
          spec: { source: { path: string; helm: { releaseName: string; valuesObject: unknown } }; destination: { namespace: string } };
        };
        const { source, destination } = application.spec;
        const result = helm(['template', source.helm.releaseName, join(root, source.path), '--namespace', destination.namespace, '--values', valuesFile(source.helm.valuesObject)]);
        expect(result.code, result.stderr).toBe(0);
        helmRendered.set(env, result.stdout);
        rendered.set(env, parseManifests(result.stdout, `helm template ${env.developer}/${env.project.name}`));
      }
    }
  });

  const envs = () => fleet.clusters.flatMap((plan) => [...plan.envs]);

  /** Every object of the generated trees and of every env's Helm output, with where it lives. */
  function everyObject(): Placed[] {
    const out: Placed[] = [];
    for (const plan of fleet.clusters) {
      for (const { file, object } of treeObjects(trees.get(plan.cluster.name)!)) {
        out.push({ cluster: plan.cluster.name, where: `clusters/${plan.cluster.name}/${file}`, namespace: typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : undefined, object });
      }
      for (const env of plan.envs) {
        for (const { source, object } of rendered.get(env)!) out.push({ cluster: plan.cluster.name, where: `${env.developer}/${env.project.name}: ${source}`, namespace: env.namespace, object });
      }
    }
    return out;
  }

  it('WHEN validated and synthesised THEN both succeed for both clusters', () => {
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toBe('ok: 3 project(s), 2 cluster(s), 22 env(s)\n');
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    expect(synth.stdout).toMatch(/^clusters\/eu-central-sandboxes\/: 3 chart\(s\), 8 env\(s\), \d+ file\(s\)\nclusters\/mumbai-analytics\/: 3 chart\(s\), 14 env\(s\), \d+ file\(s\)\n$/);
  });

  it('WHEN listed as JSON THEN developers and projects are the real, unshortened names and the Application is the derived one', () => {
    expect(listed.code, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as EnvRow[];
    expect(rows).toHaveLength(22);
    const chris = rows.find((r) => r.cluster === 'mumbai-analytics' && r.developer === LONGEST_DEVELOPER && r.project === LONGEST_PROJECT);
    expect(chris).toMatchObject({
      namespace: `sandbox-${LONGEST_DEVELOPER}`,
      application: 'customer-self-service-portal-for-partner--christopher-b0803319',
      hosts: [
        `${hostLabel('partner-portal-acme-analytics-com', LONGEST_DEVELOPER)}.dev.acme-analytics.in`,
        `${hostLabel('api-partner-portal-acme-analytics-com', LONGEST_DEVELOPER)}.dev.acme-analytics.in`,
      ],
    });
    expect(chris!.hosts.map((h) => h.split('.')[0]!.length)).toEqual([63, 63]);
    expect(new Set(rows.map((r) => r.developer))).toEqual(new Set(['bohdan-tkachenko', LONGEST_DEVELOPER, 'christopher-anderson', 'li', 'olena-shevchenko', 'priya-raghunathan-venkatasubramanian']));
  });

  it('WHEN an env is rendered by its shortened Application name THEN it is found by look-up and equals the render by <developer>/<project>', async () => {
    const byId = await runCli('render', '--root', root, '--cluster', 'mumbai-analytics', '--env', `${LONGEST_DEVELOPER}/${LONGEST_PROJECT}`);
    const byApplication = await runCli('render', '--root', root, '--cluster', 'mumbai-analytics', '--env', 'customer-self-service-portal-for-partner--christopher-b0803319');
    expect(byId.code, byId.stderr).toBe(0);
    expect(byApplication.stdout).toBe(byId.stdout);
    expect(byApplication.code).toBe(0);
  });

  it('WHEN every env is rendered by the real Helm with its Application\'s values THEN devfleet render prints the same bytes', () => {
    for (const env of envs()) expect(renderEnv(env), `${env.developer}/${env.project.name}`).toBe(helmRendered.get(env));
  });

  it('WHEN rendered THEN every object validates against the Kubernetes OpenAPI schemas and the env contract', () => {
    const errors = envs().flatMap((env) => [
      ...rendered.get(env)!.flatMap((s) => schemaErrors(s.object).map((e) => `${env.developer}/${env.project.name}: ${s.source}: ${e}`)),
      ...renderedEnvErrors(env, rendered.get(env)!),
    ]);
    expect(errors).toEqual([]);
  });

  it('WHEN synthesised THEN every tree object validates against the Kubernetes schemas and the Argo CD CRDs, and each tree keeps the contract', () => {
    for (const plan of fleet.clusters) {
      const tree = trees.get(plan.cluster.name)!;
      expect(treeObjects(tree).flatMap((o) => schemaErrors(o.object).map((e) => `${o.file}: ${e}`))).toEqual([]);
      expect(clusterTreeErrors(plan, tree, new Map(plan.envs.map((env) => [env, rendered.get(env)!])))).toEqual([]);
    }
  });

  it('WHEN every generated object is walked THEN each name, namespace and label value is within its Kubernetes limit', () => {
    const errors: string[] = [];
    for (const { where, object } of everyObject()) {
      const name = String(object.metadata?.name);
      const kind = String(object.kind);
      const limit = kind === 'CronJob' ? LIMITS.cronJobName : kind === 'Namespace' || kind === 'Service' ? LIMITS.dnsLabel : kind === 'Application' ? LIMITS.labelValue : LIMITS.dnsSubdomain;
      if (name.length > limit || !(limit === LIMITS.dnsSubdomain ? isDnsSubdomain(name) : isDnsLabel(name))) errors.push(`${where}: ${kind} name "${name}" (${name.length}) breaks its limit ${limit}`);
      const namespace = object.metadata?.namespace;
      if (namespace !== undefined && !isDnsLabel(String(namespace))) errors.push(`${where}: namespace "${String(namespace)}"`);
      for (const [key, value] of Object.entries(object.metadata?.labels ?? {})) if (!isLabelValue(String(value))) errors.push(`${where}: label ${key}="${String(value)}"`);
    }
    expect(errors).toEqual([]);
    // The walk saw the names that needed shortening.
    const names = everyObject().map((o) => String(o.object.metadata?.name));
    expect(names).toContain('customer-self-service-portal-for-partner--christopher-b0803319');
    expect(names).toContain('sandbox-priya-raghunathan-venkatasubramanian');
    expect(names).toContain(`${LONGEST_PROJECT}-reporting-postgres-pgdata-archive`);
  });

  it('WHEN every generated object is walked THEN no two objects of a kind share a name in one namespace (or cluster-wide) of one cluster', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const { cluster, where, namespace, object } of everyObject()) {
      const group = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/')[0] : '';
      const key = `${cluster} ${group}/${String(object.kind)} ${namespace ?? '(cluster)'}/${String(object.metadata?.name)}`;
      const other = seen.get(key);
      if (other !== undefined) duplicates.push(`${key}: ${other} and ${where}`);
      else seen.set(key, where);
    }
    expect(duplicates).toEqual([]);
    expect(seen.size).toBeGreaterThan(200);
  });

  it('WHEN the Applications are read THEN their names fit a label value, their release names fit Helm\'s 53 and both are unique in a cluster', () => {
    for (const plan of fleet.clusters) {
      const applications = treeObjects(trees.get(plan.cluster.name)!).filter((o) => o.object.kind === 'Application' && o.file.startsWith('apps/envs/')).map((o) => o.object);
      expect(applications).toHaveLength(plan.envs.length);
      const names = applications.map((a) => String(a.metadata?.name));
      expect(new Set(names).size).toBe(names.length);
      for (const app of applications) {
        const spec = app.spec as { source: { helm: { releaseName: string } }; destination: { namespace: string } };
        expect(String(app.metadata?.name).length).toBeLessThanOrEqual(LIMITS.labelValue);
        expect(app.metadata?.labels?.['app.kubernetes.io/instance']).toBe(app.metadata?.name);
        expect(spec.source.helm.releaseName.length).toBeLessThanOrEqual(LIMITS.helmRelease);
      }
      // One release per project in a namespace.
      const releases = applications.map((a) => `${(a.spec as { destination: { namespace: string } }).destination.namespace}/${(a.spec as { source: { helm: { releaseName: string } } }).source.helm.releaseName}`);
      expect(new Set(releases).size).toBe(releases.length);
    }
  });

  it('WHEN the hosts of every env are read (Ingresses in mumbai-analytics, InterceptorRoutes behind the front door of eu-central-sandboxes) THEN each is one DNS label of at most 63 characters in front of its cluster domain, and all are unique', () => {
    const hosts: string[] = [];
    const byMode = new Map<string, number>();
    for (const plan of fleet.clusters) {
      for (const env of plan.envs) {
        for (const { object } of rendered.get(env)!) {
          const ruleHosts =
            object.kind === 'Ingress' ? (object.spec as { rules: { host: string }[] }).rules.map((r) => r.host)
            : object.kind === 'InterceptorRoute' ? (object.spec as { rules: { hosts: string[] }[] }).rules.flatMap((r) => r.hosts)
            : [];
          for (const host of ruleHosts) {
            expect(host.endsWith(`.${plan.cluster.domain}`), host).toBe(true);
            expect(isDnsLabel(host.slice(0, -plan.cluster.domain.length - 1)), host).toBe(true);
            hosts.push(host);
            byMode.set(`${plan.cluster.name} ${String(object.kind)}`, (byMode.get(`${plan.cluster.name} ${String(object.kind)}`) ?? 0) + 1);
          }
        }
      }
    }
    // 2 routes x (5 + 3 portal envs) + 3 routes x (4 + 2 search envs, one route a 253-character host), one host per route.
    expect(hosts).toHaveLength(34);
    expect(new Set(hosts).size).toBe(hosts.length);
    expect(Object.fromEntries(byMode)).toEqual({ 'mumbai-analytics Ingress': 22, 'eu-central-sandboxes InterceptorRoute': 12 });
  });

  it('WHEN the front door\'s routes are walked THEN every host of eu-central-sandboxes is served by exactly one InterceptorRoute, to its env\'s own Service and port', () => {
    for (const plan of fleet.clusters) expect(frontDoorRoutingErrors(plan, rendered)).toEqual([]);
  });

  it('WHEN the sleep and wake CronJobs are read THEN their names fit 52 characters and they run in the IANA zones Asia/Kolkata and Europe/Kyiv', () => {
    const jobs = everyObject().filter((o) => o.object.kind === 'CronJob');
    expect(jobs.map((o) => String(o.object.metadata?.name)).filter((n) => n.length > LIMITS.cronJobName)).toEqual([]);
    expect(jobs.map((o) => String(o.object.metadata?.name))).toContain('devfleet-sleep-2345-mon-tue-wed-thu-fri-sat');
    expect(new Set(jobs.map((o) => `${o.cluster} ${(o.object.spec as { timeZone: string }).timeZone}`))).toEqual(new Set(['mumbai-analytics Asia/Kolkata', 'eu-central-sandboxes Europe/Kyiv']));
  });

  it('WHEN the Terraform inputs are read THEN each project role name fits IAM\'s 64 characters, is shortened for the longest names and is unique in the fleet', () => {
    const roles = new Map<string, string>();
    for (const [cluster, inputs] of tfvars) {
      for (const association of Object.values(inputs.pod_identity_associations)) {
        expect(association.role_name).toBe(projectRoleName(cluster, association.project));
        expect(association.role_name.length).toBeLessThanOrEqual(LIMITS.iamRoleName);
        expect(association.role_name).toMatch(IAM_NAME);
        roles.set(association.role_name, `${cluster}/${association.project}`);
      }
    }
    expect([...roles.values()].sort()).toEqual([`eu-central-sandboxes/${LONGEST_PROJECT}`, `mumbai-analytics/${LONGEST_PROJECT}`]);
    expect([...roles.keys()].map((r) => r.length).sort()).toEqual([64, 64]);
  });

  it('WHEN rendered THEN Elasticsearch gets its dotted settings and the worker its Spring properties as environment variables, byte for byte', () => {
    const containerEnv = (env: Env, container: string) => {
      const deployment = rendered.get(env)!.find((s) => s.object.kind === 'Deployment')!.object;
      const containers = (deployment.spec as { template: { spec: { containers: { name: string; env?: { name: string; value?: string }[] }[] } } }).template.spec.containers;
      return Object.fromEntries((containers.find((c) => c.name === container)!.env ?? []).map((e) => [e.name, e.value]));
    };
    const search = envs().filter((env) => env.project.name === 'search-relevance-lab');
    expect(search).toHaveLength(6);
    for (const env of search) {
      expect(containerEnv(env, 'elasticsearch')).toEqual({ 'discovery.type': 'single-node', 'xpack.security.enabled': 'false', 'cluster.name': 'relevance-lab', 'bootstrap.memory_lock': 'false', ES_JAVA_OPTS: '-Xms512m -Xmx512m' });
    }
    const worker = envs().find((env) => env.project.name === 'billing-reconciliation-worker')!;
    expect(containerEnv(worker, 'worker')).toMatchObject({ 'spring.profiles.active': 'dev', 'management.endpoints.web.exposure.include': 'health,info' });
  });
});
