/**
 * The names Terraform creates must be the names the generated tree uses. Three sides are
 * compared, each of which could drift on its own:
 *   1. the generated inputs (terraform/clusters/<cluster>/devfleet.auto.tfvars.json),
 *   2. the generated manifests under clusters/<cluster>/ (what Argo CD and Helm apply),
 *   3. the HCL, which must take every such name from var.names, never spell it out.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { blocks, expression, locals, strings, type Configuration } from '../../generators/terraform/hcl.ts';
import type { Configs } from './terraform-conventions.ts';

/** The platform's IngressClass (terraform/modules/platform/ingress.tf), as an expression. */
const PLATFORM_CLASS = '${kubernetes_ingress_class_v1.platform.metadata[0].name}';

export interface Manifest {
  /** Path relative to the repository root. */
  readonly file: string;
  readonly object: Record<string, any>;
}

/** Every YAML document under clusters/<cluster>/ (chart templates included: their placeholders are quoted strings). */
export function loadManifests(repo: string, cluster: string): Manifest[] {
  const out: Manifest[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.yaml') && !['Chart.yaml', 'values.yaml'].includes(entry)) {
        for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
          if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
          const object = doc.toJS() as Record<string, any> | null;
          if (object) out.push({ file: relative(repo, path).split(sep).join('/'), object });
        }
      }
    }
  };
  walk(join(repo, 'clusters', cluster));
  return out;
}

export interface Tfvars {
  cluster_name: string;
  names: Record<string, string>;
  /** Label, annotation and tag keys by snake_case name (generators/terraform/tfvars.ts terraformKeys). */
  keys: Record<string, string>;
  developers: Record<string, { iam: string | null; kubernetes_user: string; namespace: string }>;
  pod_identity_associations: Record<string, { project: string; namespace: string; service_account: string; policies: string[] }>;
  [key: string]: unknown;
}

export interface NamesInput {
  readonly repo: string;
  readonly tfvars: Tfvars;
  readonly manifests: readonly Manifest[];
  readonly configs: Configs;
  /** The TypeScript constants the generators use. */
  readonly constants: { readonly developersGroup: string; readonly telepresenceNamespace: string };
}

const ofKind = (manifests: readonly Manifest[], kind: string) => manifests.filter((m) => m.object.kind === kind);

/** Same value everywhere, and at least one occurrence. */
function allEqual(problems: string[], what: string, expected: string, found: { file: string; value: unknown }[]) {
  if (found.length === 0) problems.push(`${what}: no occurrence in the generated manifests`);
  for (const f of found) if (f.value !== expected) problems.push(`${f.file}: ${what} is ${JSON.stringify(f.value)}, Terraform gets ${JSON.stringify(expected)}`);
}

/** Every rule broken between the tfvars, the manifests and the HCL. */
export function checkNames({ repo, tfvars, manifests, configs, constants }: NamesInput): string[] {
  const problems: string[] = [];
  const names = tfvars.names;
  const expectedKeys = ['alb_oidc_secret', 'argocd_namespace', 'developers_group', 'ingress_class', 'namespace_prefix', 'platform_secret_store', 'root_app_path', 'storage_class', 'telepresence_namespace'];
  for (const key of expectedKeys) if (typeof names[key] !== 'string' || names[key] === '') problems.push(`tfvars names.${key} is missing`);

  // --- tfvars <-> manifests ---
  // Behind the front door (the default) the tree has no Ingress: the class is then used by
  // Terraform's own Ingresses only, the front door's and Headlamp's (checked in the HCL below).
  const ingresses = ofKind(manifests, 'Ingress');
  if (ingresses.length > 0) allEqual(problems, 'Ingress spec.ingressClassName', names.ingress_class!, ingresses.map((m) => ({ file: m.file, value: m.object.spec?.ingressClassName })));
  allEqual(problems, 'PersistentVolumeClaim spec.storageClassName', names.storage_class!, ofKind(manifests, 'PersistentVolumeClaim').map((m) => ({ file: m.file, value: m.object.spec?.storageClassName })));
  allEqual(
    problems,
    'Argo CD object metadata.namespace',
    names.argocd_namespace!,
    manifests.filter((m) => String(m.object.apiVersion).startsWith('argoproj.io/')).map((m) => ({ file: m.file, value: m.object.metadata?.namespace })),
  );
  const namespaces = ofKind(manifests, 'Namespace');
  for (const ns of namespaces) {
    if (!String(ns.object.metadata?.name).startsWith(names.namespace_prefix!)) problems.push(`${ns.file}: Namespace ${ns.object.metadata?.name} does not start with names.namespace_prefix "${names.namespace_prefix}"`);
  }
  const tfvarsNamespaces = new Set(Object.values(tfvars.developers).map((d) => d.namespace));
  for (const ns of namespaces) if (!tfvarsNamespaces.has(ns.object.metadata?.name)) problems.push(`${ns.file}: Namespace ${ns.object.metadata?.name} is not a developer namespace in the tfvars`);
  if (namespaces.length === 0) problems.push('no generated Namespace');
  for (const [name, d] of Object.entries(tfvars.developers)) {
    if (d.namespace !== `${names.namespace_prefix}${name}`) problems.push(`tfvars developers.${name}.namespace is ${d.namespace}, not names.namespace_prefix + name`);
  }
  const bindings = ofKind(manifests, 'RoleBinding').concat(ofKind(manifests, 'ClusterRoleBinding'));
  const subjects = bindings.flatMap((b) => ((b.object.subjects ?? []) as { kind: string; name: string }[]).map((s) => ({ file: b.file, ...s })));
  allEqual(problems, 'RBAC Group subject', names.developers_group!, subjects.filter((s) => s.kind === 'Group').map((s) => ({ file: s.file, value: s.name })));
  const users = new Set(Object.values(tfvars.developers).map((d) => d.kubernetes_user));
  for (const s of subjects.filter((x) => x.kind === 'User')) if (!users.has(s.name)) problems.push(`${s.file}: RBAC User subject ${s.name} is no developer's kubernetes_user in the tfvars`);
  const telepresence = manifests.filter((m) => m.object.kind === 'Role' && /telepresence/.test(String(m.object.metadata?.name)));
  allEqual(problems, 'Telepresence connect Role namespace', names.telepresence_namespace!, telepresence.map((m) => ({ file: m.file, value: m.object.metadata?.namespace })));
  const root = join(repo, names.root_app_path ?? '');
  if (!names.root_app_path || !existsSync(root)) problems.push(`names.root_app_path ${names.root_app_path} does not exist`);
  else {
    const rootApps = manifests.filter((m) => m.file === names.root_app_path && m.object.kind === 'Application');
    if (rootApps.length !== 1 || rootApps[0]!.object.spec?.source?.path !== `clusters/${tfvars.cluster_name}/apps`) problems.push(`${names.root_app_path}: must hold the one root Application syncing clusters/${tfvars.cluster_name}/apps`);
  }

  // --- tfvars <-> TypeScript constants ---
  if (names.developers_group !== constants.developersGroup) problems.push(`tfvars names.developers_group ${names.developers_group} is not DEVELOPERS_GROUP (${constants.developersGroup})`);
  if (names.telepresence_namespace !== constants.telepresenceNamespace) problems.push(`tfvars names.telepresence_namespace ${names.telepresence_namespace} is not TELEPRESENCE_NAMESPACE (${constants.telepresenceNamespace})`);

  // --- Pod Identity: one association per env of a project with AWS policies, on the env's ServiceAccount ---
  const accounts = new Set(ofKind(manifests, 'ServiceAccount').map((m) => String(m.object.metadata?.name)));
  for (const [key, a] of Object.entries(tfvars.pod_identity_associations)) {
    if (key !== `${a.namespace}/${a.service_account}`) problems.push(`tfvars pod_identity_associations key ${key} is not <namespace>/<service account>`);
    // Chart templates name the ServiceAccount after the release, which is the project.
    if (!accounts.has('{{ .Release.Name }}') || a.service_account !== a.project) problems.push(`tfvars pod_identity_associations.${key}: the env's ServiceAccount is named after the project (release), not ${a.service_account}`);
    const app = manifests.find((m) => m.object.kind === 'Application' && m.object.spec?.destination?.namespace === a.namespace && m.object.spec?.source?.helm?.releaseName === a.service_account);
    if (!app) problems.push(`tfvars pod_identity_associations.${key}: no env Application deploys release ${a.service_account} into ${a.namespace}`);
  }

  // --- HCL: every name comes from var.names, every key it reads from var.keys is handed over ---
  problems.push(...checkHclUsesNames(configs));
  const platform = configs.find((c) => c.dir === 'modules/platform');
  const read = new Set([...(platform?.files.values() ?? [])].flatMap((f) => strings(f)).flatMap((s) => [...s.matchAll(/\bvar\.keys\.([a-z0-9_]+)/g)].map((m) => m[1]!)));
  for (const name of [...read].sort()) if (!Object.hasOwn(tfvars.keys ?? {}, name)) problems.push(`terraform/modules/platform: reads var.keys.${name}, which the generated tfvars do not hand over`);
  return problems;
}

/** Where the platform module creates or uses each name: it must be var.names.<key>, never a literal. */
export function checkHclUsesNames(configs: Configs): string[] {
  const problems: string[] = [];
  const platform = configs.find((c) => c.dir === 'modules/platform');
  if (!platform) return ['terraform/modules/platform/: missing'];
  const resource = (type: string, name: string) => blocks(platform, 'resource', 2).find((b) => b.labels[0] === type && b.labels[1] === name)?.body;
  const data = (type: string, name: string) => blocks(platform, 'data', 2).find((b) => b.labels[0] === type && b.labels[1] === name)?.body;
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(`terraform/modules/platform: ${what}`);
  };

  const storageClasses = blocks(platform, 'resource', 2).filter((b) => b.labels[0] === 'kubernetes_storage_class_v1');
  expect(storageClasses.length === 1, 'exactly one kubernetes_storage_class_v1 (the env PVCs\' class)');
  for (const sc of storageClasses) {
    const metadata = (sc.body.metadata as { name?: string }[] | undefined)?.[0];
    expect(metadata?.name === '${var.names.storage_class}', `StorageClass ${sc.labels[1]} must be named var.names.storage_class (found ${JSON.stringify(metadata?.name)})`);
    const params = (sc.body.parameters ?? {}) as Record<string, unknown>;
    expect(sc.body.storage_provisioner === 'efs.csi.aws.com' && params.provisioningMode === 'efs-ap', 'the StorageClass must provision EFS access points (efs.csi.aws.com, provisioningMode efs-ap)');
  }

  const lbc = resource('helm_release', 'aws_load_balancer_controller');
  expect(lbc !== undefined && /\bingressClass\s*=\s*var\.names\.ingress_class\b/.test(strings(lbc.values).join('\n')), 'the load balancer controller must create the IngressClass var.names.ingress_class');
  const frontDoor = resource('kubernetes_ingress_v1', 'front_door');
  const frontDoorClass = (frontDoor?.spec as { ingress_class_name?: string }[] | undefined)?.[0]?.ingress_class_name;
  // The platform's own Ingresses use the platform's IngressClass (ingress.tf), never the env class.
  expect(frontDoorClass === PLATFORM_CLASS, `the front door's Ingress must use the platform IngressClass ${PLATFORM_CLASS.slice(2, -1)} (found ${JSON.stringify(frontDoorClass)})`);
  const headlamp = resource('helm_release', 'headlamp');
  expect(headlamp !== undefined && strings(headlamp.values).join('\n').includes(`ingressClassName = ${PLATFORM_CLASS.slice(2, -1)}`), `Headlamp's Ingress must use the platform IngressClass ${PLATFORM_CLASS.slice(2, -1)}`);

  const argocd = resource('helm_release', 'argocd');
  expect(argocd?.namespace === '${var.names.argocd_namespace}', `Argo CD must be installed in var.names.argocd_namespace (found ${JSON.stringify(argocd?.namespace)})`);
  const telepresence = resource('helm_release', 'telepresence');
  expect(telepresence?.namespace === '${var.names.telepresence_namespace}', `the traffic manager must be installed in var.names.telepresence_namespace (found ${JSON.stringify(telepresence?.namespace)})`);

  const rootDocs = data('kubectl_file_documents', 'root_app');
  expect(rootDocs !== undefined && /var\.names\.root_app_path/.test(String(rootDocs.content)), 'the bootstrap must read var.names.root_app_path');
  const rootManifest = resource('kubectl_manifest', 'root_app');
  expect(rootManifest !== undefined && expression(rootManifest.for_each) === 'data.kubectl_file_documents.root_app.manifests', 'every document of the root app file must be applied (for_each over its manifests)');

  const developerEntries = String(locals(platform).get('developer_access_entries') ?? '');
  expect(/kubernetes_groups\s*=\s*\[\s*var\.names\.developers_group\s*\]/.test(developerEntries), 'developers\' access entries must use var.names.developers_group');

  const everything = [...platform.files.values()].flatMap((f) => strings(f)).join('\n');
  expect(/var\.names\.namespace_prefix\b/.test(everything), 'var.names.namespace_prefix must be checked against the developer namespaces');

  // The root configurations hand the generated names over unchanged.
  for (const root of configs.filter((c) => c.dir.startsWith('clusters/'))) {
    const call = blocks(root, 'module', 1).find((m) => m.labels[0] === 'platform');
    if (!call) problems.push(`terraform/${root.dir}: no module "platform"`);
    else for (const input of ['names', 'keys', 'developers', 'pod_identity_associations', 'admins']) {
      if (call.body[input] !== `\${var.${input}}`) problems.push(`terraform/${root.dir}: module "platform" must get ${input} = var.${input} (the generated value), found ${JSON.stringify(call.body[input])}`);
    }
  }
  return problems;
}

/** Every key of a root's generated tfvars is one of its variables, and every required variable has a value. */
export function checkTfvarsFeedRoot(root: Configuration, generated: Record<string, unknown>, handWritten: readonly string[]): string[] {
  const problems: string[] = [];
  const vars = new Map(blocks(root, 'variable', 1).map((v) => [v.labels[0]!, v]));
  for (const key of Object.keys(generated)) if (key !== '//' && !vars.has(key)) problems.push(`terraform/${root.dir}: the generated tfvars set ${key}, which is not a variable`);
  for (const [name, v] of vars) {
    if (!Object.hasOwn(v.body, 'default') && !Object.hasOwn(generated, name) && !handWritten.includes(name)) problems.push(`terraform/${root.dir}: variable ${name} has no value (neither generated nor in terraform.tfvars)`);
  }
  return problems;
}
