/**
 * One source of truth for the names the platform and the generated tree share: the IngressClass,
 * the StorageClass, the Argo CD namespace, the developer namespace prefix, the developers'
 * Kubernetes group, the Telepresence namespace and the bootstrap file. They are defined by the
 * definitions and the generators, handed to Terraform in the generated tfvars, and the HCL only
 * ever reads them from var.names. A change on any one side alone must fail here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../generators/definitions/load-fleet.ts';
import { DEVELOPERS_GROUP, TELEPRESENCE_NAMESPACE } from '../../generators/plan/names.ts';
import { loadConfigurations, parseHcl, type Configuration } from '../../generators/terraform/hcl.ts';
import { tfvarsJson } from '../../generators/terraform/tfvars.ts';
import { tfvarsFile } from '../../generators/plan/layout.ts';
import { copyOfExamples, REPO, useIngressGroups } from '../helpers/fixtures.ts';
import { clusterTree } from '../../generators/synth/cluster-tree.ts';
import { parseAllDocuments } from 'yaml';
import { ALB_OIDC_SECRET, PLATFORM_SECRET_STORE_NAME } from '../../generators/plan/secret-store.ts';
import { body, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { checkNames, checkTfvarsFeedRoot, loadManifests, type Manifest, type NamesInput, type Tfvars } from '../helpers/terraform-names.ts';

let configs: Configuration[];
let tfvars: Tfvars;
let manifests: Manifest[];
let input: NamesInput;
const constants = { developersGroup: DEVELOPERS_GROUP, telepresenceNamespace: TELEPRESENCE_NAMESPACE };

beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
  tfvars = JSON.parse(readFileSync(join(REPO, tfvarsFile('dev')), 'utf8')) as Tfvars;
  manifests = loadManifests(REPO, 'dev');
  input = { repo: REPO, tfvars, manifests, configs, constants };
});

/** The input with the tfvars' names changed. */
const withName = (key: string, value: string): NamesInput => ({ ...input, tfvars: { ...tfvars, names: { ...tfvars.names, [key]: value } } });

describe('the names Terraform uses equal what devfleet generates (cluster dev)', () => {
  it('GIVEN the bundled definitions WHEN the tfvars are generated again THEN they equal the committed terraform/clusters/dev/devfleet.auto.tfvars.json', async () => {
    const plan = (await loadFleet(REPO)).clusters.find((c) => c.cluster.name === 'dev')!;
    expect(readFileSync(join(REPO, tfvarsFile(plan.cluster.name)), 'utf8')).toBe(tfvarsJson(plan));
  });

  it('GIVEN the committed tfvars, manifests and HCL WHEN compared THEN every shared name agrees', () => {
    expect(tfvars.names).toEqual({
      alb_oidc_secret: ALB_OIDC_SECRET,
      argocd_namespace: 'argocd',
      developers_group: 'devfleet:developers',
      ingress_class: 'alb',
      namespace_prefix: 'dev-',
      platform_secret_store: PLATFORM_SECRET_STORE_NAME,
      root_app_path: 'clusters/dev/bootstrap/root.yaml',
      storage_class: 'efs',
      telepresence_namespace: 'ambassador',
    });
    expect(checkNames(input)).toEqual([]);
  });

  it('GIVEN the HCL reading a key the tfvars do not hand over, or the root not passing var.keys WHEN compared THEN each is reported', () => {
    const { part_of: _dropped, ...keys } = tfvars.keys;
    expect(checkNames({ ...input, tfvars: { ...tfvars, keys } })).toEqual(['terraform/modules/platform: reads var.keys.part_of, which the generated tfvars do not hand over']);
    expect(checkNames({ ...input, configs: mutate(configs, 'clusters/dev', 'main.tf', (f) => (body(f, 'module', 'platform').keys = '${{}}')) })).toEqual([
      'terraform/clusters/dev: module "platform" must get keys = var.keys (the generated value), found "${{}}"',
    ]);
  });

  it('GIVEN a name changed in the tfvars only WHEN compared THEN the generated manifests that use it disagree', () => {
    expect(checkNames(withName('storage_class', 'gp3'))).toContain('clusters/dev/charts/shop/templates/persistentvolumeclaim-postgres-pgdata.yaml: PersistentVolumeClaim spec.storageClassName is "efs", Terraform gets "gp3"');
    expect(checkNames(withName('argocd_namespace', 'gitops'))).toContain('clusters/dev/bootstrap/root.yaml: Argo CD object metadata.namespace is "argocd", Terraform gets "gitops"');
    expect(checkNames(withName('namespace_prefix', 'env-'))).toContain('clusters/dev/apps/namespaces/alice.yaml: Namespace dev-alice does not start with names.namespace_prefix "env-"');
    expect(checkNames(withName('developers_group', 'devfleet:devs'))).toEqual(
      expect.arrayContaining([
        'clusters/dev/apps/namespaces/alice.yaml: RBAC Group subject is "devfleet:developers", Terraform gets "devfleet:devs"',
        'tfvars names.developers_group devfleet:devs is not DEVELOPERS_GROUP (devfleet:developers)',
      ]),
    );
    expect(checkNames(withName('telepresence_namespace', 'telepresence'))).toContain('clusters/dev/apps/platform/access.yaml: Telepresence connect Role namespace is "ambassador", Terraform gets "telepresence"');
    expect(checkNames(withName('root_app_path', 'clusters/dev/root.yaml'))).toContain('names.root_app_path clusters/dev/root.yaml does not exist');
  });

  it('GIVEN per-env Ingresses (the examples with ingress.mode ingress-groups) and the IngressClass changed in the tfvars only WHEN compared THEN every env Ingress disagrees', async () => {
    const root = copyOfExamples();
    useIngressGroups(root);
    const plan = (await loadFleet(root)).clusters[0]!;
    const perEnv = [...clusterTree(plan)].filter(([path]) => path.endsWith('.yaml')).flatMap(([path, text]) => parseAllDocuments(text).map((d) => ({ file: `clusters/dev/${path}`, object: d.toJS() as Record<string, any> })));
    expect(checkNames({ ...input, manifests: perEnv })).toEqual([]);
    expect(checkNames({ ...input, manifests: perEnv, tfvars: { ...tfvars, names: { ...tfvars.names, ingress_class: 'nginx' } } })).toContain('clusters/dev/charts/docs/templates/ingress.yaml: Ingress spec.ingressClassName is "alb", Terraform gets "nginx"');
  });

  it('GIVEN the front door\'s Ingress spelling its IngressClass out WHEN compared THEN it is reported', () => {
    const spelled = mutate(configs, 'modules/platform', 'front-door.tf', (f) => ((body(f, 'resource', 'kubernetes_ingress_v1', 'front_door').spec as any)[0].ingress_class_name = 'alb'));
    expect(checkNames({ ...input, configs: spelled })).toEqual(['terraform/modules/platform: the front door\'s Ingress must use the platform IngressClass kubernetes_ingress_class_v1.platform.metadata[0].name (found "alb")']);
  });

  it('GIVEN a generated manifest changed on its own WHEN compared THEN it disagrees with the tfvars', () => {
    const changed = manifests.map((m) =>
      m.object.kind === 'PersistentVolumeClaim' && m.file.includes('/my-app/') ? { ...m, object: { ...m.object, spec: { ...m.object.spec, storageClassName: 'efs-sc' } } } : m,
    );
    expect(checkNames({ ...input, manifests: changed })).toEqual([
      'clusters/dev/charts/my-app/templates/persistentvolumeclaim-mysql-mysql.yaml: PersistentVolumeClaim spec.storageClassName is "efs-sc", Terraform gets "efs"',
    ]);
  });

  it('GIVEN a developer namespace or an association that does not match the generated envs WHEN compared THEN it is reported', () => {
    const developers = { ...tfvars.developers, alice: { ...tfvars.developers.alice!, namespace: 'dev-alicia' } };
    expect(checkNames({ ...input, tfvars: { ...tfvars, developers } })).toEqual(
      expect.arrayContaining(['tfvars developers.alice.namespace is dev-alicia, not names.namespace_prefix + name', 'clusters/dev/apps/namespaces/alice.yaml: Namespace dev-alice is not a developer namespace in the tfvars']),
    );
    const associations = { ...tfvars.pod_identity_associations, 'dev-bob/notes-api': { project: 'notes-api', namespace: 'dev-bob', service_account: 'notes-api', policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] } };
    expect(checkNames({ ...input, tfvars: { ...tfvars, pod_identity_associations: associations } })).toEqual([
      'tfvars pod_identity_associations.dev-bob/notes-api: no env Application deploys release notes-api into dev-bob',
    ]);
  });

  it('GIVEN the HCL spelling a name out instead of reading var.names WHEN compared THEN each is reported', () => {
    const literal = (dir: string, file: string, edit: (f: any) => void) => checkNames({ ...input, configs: mutate(configs, dir, file, edit) });
    expect(literal('modules/platform', 'storage.tf', (f) => (body(f, 'resource', 'kubernetes_storage_class_v1', 'envs').metadata as any)[0].name = 'efs')).toEqual([
      'terraform/modules/platform: StorageClass envs must be named var.names.storage_class (found "efs")',
    ]);
    expect(
      literal('modules/platform', 'ingress.tf', (f) => {
        const release = body(f, 'resource', 'helm_release', 'aws_load_balancer_controller');
        release.values = (release.values as string[]).map((v) => v.replace('ingressClass               = var.names.ingress_class', 'ingressClass               = "alb"'));
      }),
    ).toEqual(['terraform/modules/platform: the load balancer controller must create the IngressClass var.names.ingress_class']);
    expect(literal('modules/platform', 'argocd.tf', (f) => (body(f, 'resource', 'helm_release', 'argocd').namespace = 'argocd'))).toEqual([
      'terraform/modules/platform: Argo CD must be installed in var.names.argocd_namespace (found "argocd")',
    ]);
    expect(literal('modules/platform', 'addons.tf', (f) => (body(f, 'resource', 'helm_release', 'telepresence').namespace = 'ambassador'))).toEqual([
      'terraform/modules/platform: the traffic manager must be installed in var.names.telepresence_namespace (found "ambassador")',
    ]);
    expect(literal('modules/platform', 'argocd.tf', (f) => (body(f, 'data', 'kubectl_file_documents', 'root_app').content = '${file("${var.repository_root}/clusters/dev/bootstrap/root.yaml")}'))).toEqual([
      'terraform/modules/platform: the bootstrap must read var.names.root_app_path',
    ]);
    expect(literal('clusters/dev', 'main.tf', (f) => (body(f, 'module', 'platform').names = '${merge(var.names, { storage_class = "efs" })}'))).toEqual([
      'terraform/clusters/dev: module "platform" must get names = var.names (the generated value), found "${merge(var.names, { storage_class = \\"efs\\" })}"',
    ]);
  });

  it('GIVEN the dev root WHEN its variables are matched with the generated tfvars and terraform.tfvars THEN every generated key is a variable and every required variable has a value; a missing one is reported', async () => {
    const root = configs.find((c) => c.dir === 'clusters/dev')!;
    const handWritten = Object.keys(await parseHcl('terraform.tfvars', readFileSync(join(TERRAFORM, 'clusters/dev/terraform.tfvars'), 'utf8')));
    expect(checkTfvarsFeedRoot(root, tfvars, handWritten)).toEqual([]);
    expect(checkTfvarsFeedRoot(root, { ...tfvars, ingress_groups: 2 }, handWritten)).toEqual(['terraform/clusters/dev: the generated tfvars set ingress_groups, which is not a variable']);
    expect(checkTfvarsFeedRoot(root, tfvars, handWritten.filter((k) => k !== 'region'))).toEqual(['terraform/clusters/dev: variable region has no value (neither generated nor in terraform.tfvars)']);
  });
});
