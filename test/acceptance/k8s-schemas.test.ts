/**
 * What devfleet generates, held to the schemas the cluster applies and to the contract the rest
 * of the system relies on:
 * - every object `devfleet render` prints validates against the Kubernetes OpenAPI schema;
 * - every Argo CD object of the generated tree validates against the Argo CD CRDs (v3.6.0);
 * - labels, names, sleep/wake, data safety and cross-object references hold for every env.
 * The first block proves that each validator used here can fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import type { Env, Fleet } from '../../generators/plan/plan.ts';
import { renderEnv } from '../../generators/render/render-env.ts';
import { clusterTree } from '../../generators/synth/cluster-tree.ts';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO, useIngressGroups } from '../helpers/fixtures.ts';
import { clusterTreeErrors, frontDoorRoutingErrors, renderedEnvErrors, treeObjects } from '../helpers/fleet-contracts.ts';
import { hostLabel } from '../../generators/plan/names.ts';
import {
  ARGO_CD_FIXTURES,
  argoCrdVersions,
  argoSchemaErrors,
  describe as describeObject,
  isDns1035Label,
  isDnsLabel,
  isDnsSubdomain,
  isLabelValue,
  isQualifiedKey,
  kubeSchemaErrors,
  metadataErrors,
  parseManifests,
  schemaErrors,
  strictStructuralSchema,
  type KubeObject,
  type SourcedObject,
} from '../helpers/kube-schemas.ts';

/** A minimal, valid env Application, to be broken one field at a time. */
function application(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'app--alice', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/example/devfleet.git', path: 'charts/app', targetRevision: 'main', helm: { valuesObject: { any: { shape: [1, 'x'] } } } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'dev-alice' },
      ...spec,
    },
  };
}

function deployment(containerPort: unknown): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort }] }] } },
    },
  };
}

describe('the validators themselves', () => {
  it('GIVEN a valid Deployment and one with a string containerPort WHEN validated with kubernetes-models THEN only the broken one is rejected', () => {
    expect(kubeSchemaErrors(deployment(80))).toEqual([]);
    const errors = kubeSchemaErrors(deployment('eighty'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/containerPort must be integer/);
  });

  it('GIVEN a Deployment without containers WHEN validated THEN the missing required field is reported', () => {
    const broken = deployment(80);
    delete (broken.spec as { template: { spec: Record<string, unknown> } }).template.spec.containers;
    expect(kubeSchemaErrors(broken).join('\n')).toMatch(/containers/);
  });

  it('GIVEN a kind devfleet does not emit WHEN validated THEN it is an error, never a silent pass', () => {
    expect(kubeSchemaErrors({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toEqual([expect.stringMatching(/no Kubernetes schema known for apiVersion\/kind "v1\/ConfigMap"/)]);
    expect(kubeSchemaErrors({ apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'x' } })).toEqual([expect.stringMatching(/no Kubernetes schema/)]);
    expect(argoSchemaErrors({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'x' } })).toEqual([expect.stringMatching(/no Argo CD CRD serves/)]);
    expect(argoSchemaErrors({ apiVersion: 'argoproj.io/v1beta1', kind: 'Application', metadata: { name: 'x' } })).toEqual([expect.stringMatching(/no Argo CD CRD serves/)]);
  });

  it('GIVEN the vendored CRDs WHEN loaded THEN Application and AppProject v1alpha1 are served, from test/fixtures/argo-cd', () => {
    expect(ARGO_CD_FIXTURES).toMatch(/test\/fixtures\/argo-cd\/$/);
    expect([...argoCrdVersions().keys()].sort()).toEqual(['argoproj.io/v1alpha1/AppProject', 'argoproj.io/v1alpha1/Application']);
  });

  it('GIVEN a valid Application WHEN validated against the CRD THEN it passes, with any shape under helm.valuesObject (x-kubernetes-preserve-unknown-fields)', () => {
    expect(argoSchemaErrors(application())).toEqual([]);
  });

  it('GIVEN an Application with the misspelled field spec.destnation WHEN validated THEN the strict CRD schema rejects it', () => {
    const { destination, ...rest } = application().spec as Record<string, unknown>;
    const misspelled = { ...application(), spec: { ...rest, destnation: destination } };
    expect(argoSchemaErrors(misspelled)).toContain('argoproj.io/v1alpha1 Application/app--alice: /spec must NOT have additional properties "destnation"');
  });

  it('GIVEN an Application with a misspelled optional field (spec.syncPolcy) WHEN validated THEN the strict schema rejects it, where the CRD schema as published accepts it', () => {
    const misspelled = application({ syncPolcy: { automated: { prune: true } } });
    expect(argoSchemaErrors(misspelled)).toEqual(['argoproj.io/v1alpha1 Application/app--alice: /spec must NOT have additional properties "syncPolcy"']);
    // Why strictStructuralSchema exists: a structural schema does not forbid unknown fields (a real API server prunes them silently).
    const crd = parse(readFileSync(`${ARGO_CD_FIXTURES}application-crd.yaml`, 'utf8')) as { spec: { versions: { schema: { openAPIV3Schema: object } }[] } };
    const raw = new Ajv({ strict: false, validateFormats: false }).compile(crd.spec.versions[0]!.schema.openAPIV3Schema);
    expect(raw(misspelled)).toBe(true);
  });

  it('GIVEN an AppProject with an unknown field and one with a wrongly typed field WHEN validated THEN both are rejected', () => {
    const project = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p', namespace: 'argocd' }, spec: { sourceRepos: ['*'] } };
    expect(argoSchemaErrors(project)).toEqual([]);
    expect(argoSchemaErrors({ ...project, spec: { sourceRepos: ['*'], destinatons: [] } }).join('\n')).toMatch(/destinatons/);
    expect(argoSchemaErrors({ ...project, spec: { sourceRepos: '*' } }).join('\n')).toMatch(/sourceRepos must be array/);
  });

  it('GIVEN an x-kubernetes-int-or-string field (kustomize replicas count) WHEN it holds 3, "3" or true THEN the number and the string pass and the boolean fails', () => {
    const withCount = (count: unknown) => application({ source: { repoURL: 'https://x.example/r.git', kustomize: { replicas: [{ name: 'web', count }] } } });
    expect(argoSchemaErrors(withCount(3))).toEqual([]);
    expect(argoSchemaErrors(withCount('3'))).toEqual([]);
    expect(argoSchemaErrors(withCount(true)).length).toBeGreaterThan(0);
  });

  it('GIVEN a schema with x-kubernetes-int-or-string but no anyOf WHEN made strict THEN it accepts integers and strings only', () => {
    const schema = strictStructuralSchema({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true } }, 'x-kubernetes-preserve-unknown-fields': true });
    const validate = new Ajv({ strict: false }).compile(schema as object);
    expect([validate({ port: 80 }), validate({ port: 'http' }), validate({ port: 1.5 }), validate({ port: false }), validate({ other: 1 })]).toEqual([true, true, false, false, true]);
  });

  it('GIVEN a ScaledObject with a quoted cooldownPeriod and an InterceptorRoute with a misspelled field WHEN validated against the vendored KEDA CRDs THEN both are rejected and the valid ones pass', () => {
    const scaled = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web' }, spec: { scaleTargetRef: { name: 'web' }, cooldownPeriod: 3600, triggers: [{ type: 'cron', metadata: { start: '0 9 * * *' } }] } };
    expect(schemaErrors(scaled)).toEqual([]);
    expect(schemaErrors({ ...scaled, spec: { ...scaled.spec, cooldownPeriod: '3600' } })).toEqual(['keda.sh/v1alpha1 ScaledObject/web: /spec/cooldownPeriod must be integer']);
    const route = { apiVersion: 'http.keda.sh/v1beta1', kind: 'InterceptorRoute', metadata: { name: 'web--http' }, spec: { target: { service: 'web', portName: 'http' }, scalingMetric: { requestRate: { targetValue: 1 } } } };
    expect(schemaErrors(route)).toEqual([]);
    expect(schemaErrors({ ...route, spec: { ...route.spec, rules: [{ host: ['x.example.com'] }] } })).toEqual(['http.keda.sh/v1beta1 InterceptorRoute/web--http: /spec/rules/0 must NOT have additional properties "host"']);
    expect(schemaErrors({ ...route, apiVersion: 'http.keda.sh/v1alpha1' })).toEqual([expect.stringMatching(/no KEDA CRD serves apiVersion\/kind "http.keda.sh\/v1alpha1\/InterceptorRoute"/)]);
  });

  it('GIVEN names and labels WHEN checked THEN the Kubernetes rules apply', () => {
    expect([isDnsLabel('my-app--alice'), isDnsLabel('My-app'), isDnsLabel('a'.repeat(64)), isDnsLabel('-a')]).toEqual([true, false, false, false]);
    expect([isDns1035Label('web'), isDns1035Label('1web')]).toEqual([true, false]);
    expect([isDnsSubdomain('a.b-c.d'), isDnsSubdomain('a..b'), isDnsSubdomain('a_b')]).toEqual([true, false, false]);
    expect([isQualifiedKey('app.kubernetes.io/name'), isQualifiedKey('a/b/c'), isQualifiedKey('-x'), isQualifiedKey('UP/x')]).toEqual([true, false, false, false]);
    expect([isLabelValue(''), isLabelValue('a.b_c-d'), isLabelValue('a b'), isLabelValue('x'.repeat(64))]).toEqual([true, true, false, false]);
    expect(metadataErrors({ apiVersion: 'v1', kind: 'Service', metadata: { name: '9lives', labels: { ok: 'yes', bad: 'a b' } } })).toEqual([
      'v1 Service/9lives: name "9lives" is not a valid DNS-1035 label',
      'v1 Service/9lives: label bad="a b" is not a valid label value',
    ]);
  });

  it('GIVEN manifests with an unquoted yes, a duplicate key or an empty document WHEN parsed THEN YAML 1.1 reads a boolean and the others are errors', () => {
    expect(parseManifests('---\n# Source: c/templates/a.yaml\nkind: X\nv: yes\n', 'f')).toEqual([{ source: 'c/templates/a.yaml', object: { kind: 'X', v: true } }]);
    expect(() => parseManifests('kind: X\nkind: Y\n', 'f')).toThrow(/f: invalid YAML/);
    expect(() => parseManifests('---\nkind: X\n---\n# nothing\n', 'f')).toThrow(/empty YAML document/);
  });
});

describe('GIVEN the bundled examples (projects/, clusters/dev.ts)', () => {
  let fleet: Fleet;
  let renderOutput: { code: number; stdout: string; stderr: string };
  let rendered: SourcedObject[];
  let listed: { developer: string; project: string; namespace: string }[];
  const perEnv = new Map<Env, SourcedObject[]>();
  const trees = new Map<string, Map<string, string>>();

  beforeAll(async () => {
    const root = copyOfExamples();
    renderOutput = await runCli('render', '--root', root, '--cluster', 'dev');
    listed = JSON.parse((await runCli('list', '--root', root, '--cluster', 'dev', '--json')).stdout) as typeof listed;
    fleet = await loadFleet(root);
    rendered = parseManifests(renderOutput.stdout, 'render --cluster dev');
    for (const plan of fleet.clusters) {
      trees.set(plan.cluster.name, clusterTree(plan));
      for (const env of plan.envs) perEnv.set(env, parseManifests(renderEnv(env), `render --env ${env.developer}/${env.project.name}`));
    }
  });

  it('WHEN rendered with `render --cluster dev` THEN it exits 0 and prints one Deployment per listed env', () => {
    expect(renderOutput.stderr).toBe('');
    expect(renderOutput.code).toBe(0);
    expect(listed.length).toBeGreaterThan(0);
    const deployments = rendered.filter((s) => s.object.kind === 'Deployment').map((s) => `${String(s.object.metadata?.labels?.['devfleet.dev/developer'])}/${String(s.object.metadata?.name)}`);
    expect(deployments.sort()).toEqual(listed.map((e) => `${e.developer}/${e.project}`).sort());
  });

  it('WHEN rendered THEN every object validates against the Kubernetes OpenAPI schema (kubernetes-models) or its vendored CRD (External Secrets, KEDA, the HTTP add-on), unknown kinds failing', () => {
    const errors = rendered.flatMap((s) => schemaErrors(s.object).map((e) => `${s.source}: ${e}`));
    expect(errors).toEqual([]);
    // clusters/dev.ts says nothing about ingress.mode: the front door, so no Ingress at all.
    expect(new Set(rendered.map((s) => s.object.kind))).toEqual(new Set(['ServiceAccount', 'PersistentVolumeClaim', 'Service', 'Deployment', 'InterceptorRoute', 'ScaledObject', 'ExternalSecret', 'Password']));
  });

  it('WHEN rendered THEN every env host and path is served by exactly one InterceptorRoute of the cluster, in the env\'s namespace, to its own Service and port', () => {
    for (const plan of fleet.clusters) expect(frontDoorRoutingErrors(plan, perEnv)).toEqual([]);
    const routes = [...perEnv].filter(([env]) => env.project.routes.length > 0);
    expect(routes.length).toBeGreaterThan(5);
  });

  it('WHEN each env is rendered THEN the CLI printed exactly those objects', () => {
    const fromEnvs = [...perEnv.values()].flat().map((s) => JSON.stringify(s.object));
    expect(rendered.map((s) => JSON.stringify(s.object))).toEqual(fromEnvs);
  });

  it('WHEN each env is rendered THEN labels, names, replicas 0, PVC retention and references between objects hold', () => {
    expect(perEnv.size).toBe(listed.length);
    const errors = [...perEnv].flatMap(([env, objects]) => renderedEnvErrors(env, objects));
    expect(errors).toEqual([]);
  });

  it('WHEN the cluster tree is generated THEN every Argo CD object (bootstrap/root.yaml included) validates against its CRD v1alpha1 schema, and every other object against Kubernetes', () => {
    for (const [cluster, tree] of trees) {
      const objects = treeObjects(tree);
      expect(objects.filter((o) => o.file === 'bootstrap/root.yaml').map((o) => o.object.kind), cluster).toEqual(['AppProject', 'Application']);
      expect(new Set(objects.map((o) => `${String(o.object.apiVersion)} ${String(o.object.kind)}`))).toEqual(
        new Set([
          'argoproj.io/v1alpha1 AppProject', 'argoproj.io/v1alpha1 Application', 'v1 Namespace', 'v1 ResourceQuota', 'v1 LimitRange',
          'v1 ServiceAccount', 'batch/v1 CronJob', 'networking.k8s.io/v1 NetworkPolicy', 'rbac.authorization.k8s.io/v1 ClusterRole',
          'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding', 'rbac.authorization.k8s.io/v1 Role', 'rbac.authorization.k8s.io/v1 RoleBinding',
        ]),
      );
      const errors = objects.flatMap((o) => schemaErrors(o.object).map((e) => `${cluster}/${o.file}: ${e}`));
      expect(errors).toEqual([]);
    }
  });

  it('WHEN the cluster tree is generated THEN Applications, AppProjects, Namespaces and chart templates keep the contract (finalizer, ignored replicas, Pod Security, no template namespaces, values accepted by Helm)', () => {
    for (const plan of fleet.clusters) {
      const envs = new Map([...perEnv].filter(([env]) => env.cluster === plan.cluster));
      const errors = clusterTreeErrors(plan, trees.get(plan.cluster.name)!, envs);
      expect(errors).toEqual([]);
    }
  });

  it('WHEN the committed chart templates (clusters/dev/charts/*/templates/*.yaml) are read THEN no object sets metadata.namespace and every Deployment has replicas 0', () => {
    const charts = `${REPO}/clusters/dev/charts`;
    const files = readdirSync(charts).flatMap((chart) => readdirSync(`${charts}/${chart}/templates`).filter((f) => f.endsWith('.yaml')).map((f) => `${charts}/${chart}/templates/${f}`));
    const objects = files.flatMap((file) => parseManifests(readFileSync(file, 'utf8'), file));
    expect(objects.filter((o) => o.object.kind === 'Deployment')).toHaveLength(readdirSync(charts).length);
    expect(objects.filter((o) => o.object.metadata && 'namespace' in o.object.metadata).map((o) => o.source)).toEqual([]);
    expect(objects.filter((o) => o.object.kind === 'Deployment' && (o.object.spec as { replicas?: unknown }).replicas !== 0).map((o) => o.source)).toEqual([]);
  });

  it('GIVEN one env\'s routing and scaling objects broken in five ways WHEN the contract is checked THEN each break is reported', () => {
    const [env, objects] = [...perEnv].find(([e]) => new Set(e.project.routes.map((r) => r.port)).size > 1)!;
    const broken = structuredClone(objects).map((s) => s.object) as KubeObject[];
    const [first, second] = broken.filter((o) => o.kind === 'InterceptorRoute') as { metadata: { name: string }; spec: { target: { service: string; portName: string }; rules: { hosts: string[] }[]; coldStart: { placeholder: { response: { statusCode: number } } } } }[];
    const route = env.project.routes.find((r) => r.port === second!.spec.target.portName)!;
    second!.spec.target.service = 'someone-else';
    first!.spec.coldStart.placeholder.response.statusCode = 200;
    const scaled = broken.find((o) => o.kind === 'ScaledObject')! as { spec: { cooldownPeriod: number; maxReplicaCount: number; triggers: { type: string; metadata: Record<string, string> }[] } };
    scaled.spec.cooldownPeriod = 60;
    scaled.spec.maxReplicaCount = 3;
    scaled.spec.triggers = scaled.spec.triggers.filter((t) => t.metadata.interceptorRoute !== first!.metadata.name);
    const errors = renderedEnvErrors(env, broken.map((object) => ({ source: 'mutated', object })));
    const who = `${env.developer}/${env.project.name}`;
    const host = `${hostLabel(route.label, env.developer)}.${env.cluster.domain}`;
    expect(errors).toEqual(
      expect.arrayContaining([
        `${who}: ${host}${route.path} goes to someone-else:${route.port} (InterceptorRoute ${second!.metadata.name}), expected the env's Service ${env.release} port ${route.port}`,
        expect.stringMatching(new RegExp(`InterceptorRoute/${first!.metadata.name}: the starting page is .*"statusCode":200`)),
        `${who}: keda.sh/v1alpha1 ScaledObject/${env.release}: cooldownPeriod 60, expected ${env.schedule.idleMinutes * 60} (idleMinutes ${env.schedule.idleMinutes})`,
        `${who}: keda.sh/v1alpha1 ScaledObject/${env.release}: replicas 0..3, expected 0..1`,
        expect.stringMatching(/external-push triggers name .*, expected one per InterceptorRoute/),
      ]),
    );
    // The same break seen fleet-wide: the host goes to another Service than its env's.
    const fleetWide = new Map(perEnv);
    fleetWide.set(env, broken.map((object) => ({ source: 'mutated', object })));
    expect(frontDoorRoutingErrors(fleet.clusters.find((p) => p.cluster === env.cluster)!, fleetWide)).toEqual([
      `${host}${route.path} (${who}): goes to ${env.namespace}/someone-else:${route.port}, expected ${env.namespace}/${env.release}:${route.port}`,
    ]);
  });

  it('GIVEN one env\'s rendered objects broken in seven ways WHEN the contract is checked THEN each break is reported', () => {
    const [env, objects] = [...perEnv].find(([e]) => e.project.containers.some((c) => c.volumes.some((v) => v.persistent)) && e.project.routes.length > 0)!;
    const broken = structuredClone(objects).map((s) => s.object) as KubeObject[];
    const of = (kind: string) => broken.find((o) => o.kind === kind)!;
    (of('Deployment').spec as { replicas: number }).replicas = 1;
    delete of('Service').metadata!.labels!['devfleet.dev/developer'];
    of('ServiceAccount').metadata!.namespace = env.namespace;
    delete of('PersistentVolumeClaim').metadata!.annotations!['helm.sh/resource-policy'];
    of('PersistentVolumeClaim').metadata!.annotations!['argocd.argoproj.io/sync-options'] = 'Delete=false';
    delete of('PersistentVolumeClaim').metadata!.annotations!['argocd.argoproj.io/compare-options'];
    of('ScaledObject').metadata!.name = `${env.release}-a1b2c3d4`;
    const errors = renderedEnvErrors(env, broken.map((object) => ({ source: 'mutated', object })));
    const who = `${env.developer}/${env.project.name}`;
    expect(errors).toEqual(
      expect.arrayContaining([
        `${who}: apps/v1 Deployment/${env.release}: spec.replicas is 1, expected 0 (envs are created asleep)`,
        `${who}: v1 Service/${env.release}: label devfleet.dev/developer=undefined, expected "${env.developer}"`,
        `${who}: v1 ServiceAccount/${env.release}: sets metadata.namespace (the Application's destination decides it)`,
        expect.stringMatching(/PersistentVolumeClaim\/.*: annotation helm.sh\/resource-policy is undefined, expected "keep"/),
        expect.stringMatching(/PersistentVolumeClaim\/.*: annotation argocd.argoproj.io\/sync-options lacks Prune=false/),
        expect.stringMatching(/PersistentVolumeClaim\/.*: annotation argocd.argoproj.io\/compare-options lacks IgnoreExtraneous/),
        `${who}: keda.sh/v1alpha1 ScaledObject/${env.release}-a1b2c3d4: name "${env.release}-a1b2c3d4" ends in a hash suffix`,
      ]),
    );
    expect(renderedEnvErrors(env, objects)).toEqual([]);
  });

  it('GIVEN the generated tree broken in six ways WHEN the contract is checked THEN each break is reported', () => {
    const plan = fleet.clusters[0]!;
    const tree = new Map(trees.get(plan.cluster.name)!);
    const env = plan.envs.find((e) => e.project.routes.length > 0)!;
    const appFile = `apps/envs/${env.developer}/${env.project.name}.yaml`;
    const app = parse(tree.get(appFile)!) as { metadata: { finalizers?: string[] }; spec: { ignoreDifferences?: unknown; syncPolicy: { syncOptions: string[] } } };
    delete app.metadata.finalizers;
    delete app.spec.ignoreDifferences;
    app.spec.syncPolicy.syncOptions = [];
    tree.set(appFile, stringify(app));
    const nsFile = `apps/namespaces/${env.developer}.yaml`;
    tree.set(nsFile, tree.get(nsFile)!.replace('pod-security.kubernetes.io/enforce: baseline', 'pod-security.kubernetes.io/enforce: privileged'));
    tree.set('apps/appproject.yaml', tree.get('apps/appproject.yaml')!.replace(/\n\s+- group: keda\.sh\n\s+kind: ScaledObject/, ''));
    const template = `charts/${env.project.name}/templates/serviceaccount.yaml`;
    tree.set(template, tree.get(template)!.replace('metadata:\n', 'metadata:\n  namespace: somewhere\n'));
    const errors = clusterTreeErrors(plan, tree, perEnv);
    const where = `${appFile}: argoproj.io/v1alpha1 Application/${env.application}`;
    expect(errors).toEqual(
      expect.arrayContaining([
        `${where}: lacks the finalizer resources-finalizer.argocd.argoproj.io`,
        `${where}: ignoreDifferences does not cover apps Deployment /spec/replicas`,
        `${where}: syncOptions lack RespectIgnoreDifferences=true`,
        `${where}: the AppProject does not allow keda.sh/ScaledObject`,
        `${nsFile}: pod-security enforce is "privileged", expected baseline`,
        `${template}: v1 ServiceAccount/{{ .Release.Name }} sets metadata.namespace`,
      ]),
    );
  });

  it('WHEN the cluster tree is generated THEN there is an env Application per listed env and a Namespace per developer', () => {
    const tree = trees.get('dev')!;
    const objects = treeObjects(tree);
    const apps = objects.filter((o) => o.file.startsWith('apps/envs/')).map((o) => describeObject(o.object));
    expect(apps.sort()).toEqual(listed.map((e) => `argoproj.io/v1alpha1 Application/${e.project}--${e.developer}`).sort());
    const namespaces = objects.filter((o) => o.object.kind === 'Namespace').map((o) => o.object.metadata?.name);
    expect(namespaces.sort()).toEqual([...new Set(listed.map((e) => e.namespace))].sort());
  });
});

describe('GIVEN the bundled examples on a cluster with per-env Ingresses (ingress.mode: ingress-groups)', () => {
  let fleet: Fleet;
  const perEnv = new Map<Env, SourcedObject[]>();
  const trees = new Map<string, Map<string, string>>();

  beforeAll(async () => {
    const root = copyOfExamples();
    useIngressGroups(root);
    fleet = await loadFleet(root);
    for (const plan of fleet.clusters) {
      trees.set(plan.cluster.name, clusterTree(plan));
      for (const env of plan.envs) perEnv.set(env, parseManifests(renderEnv(env), `render --env ${env.developer}/${env.project.name}`));
    }
  });

  it('WHEN rendered THEN each env with routes has one Ingress in its IngressGroup and no KEDA object, and every object validates', () => {
    const objects = [...perEnv.values()].flat();
    expect(new Set(objects.map((s) => s.object.kind))).toEqual(new Set(['ServiceAccount', 'PersistentVolumeClaim', 'Service', 'Deployment', 'Ingress', 'ExternalSecret', 'Password']));
    expect(objects.filter((s) => s.object.kind === 'Ingress')).toHaveLength([...perEnv.keys()].filter((e) => e.project.routes.length > 0).length);
    expect(objects.flatMap((s) => schemaErrors(s.object).map((e) => `${s.source}: ${e}`))).toEqual([]);
    expect([...perEnv].flatMap(([env, list]) => renderedEnvErrors(env, list))).toEqual([]);
  });

  it('WHEN the tree is generated THEN it keeps the contract, without the front door\'s admission policy or ignored annotation', () => {
    for (const plan of fleet.clusters) {
      const tree = trees.get(plan.cluster.name)!;
      expect(clusterTreeErrors(plan, tree, perEnv)).toEqual([]);
      expect(tree.has('apps/platform/front-door.yaml')).toBe(false);
    }
  });
});
