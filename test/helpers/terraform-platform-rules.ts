/**
 * Rules of the platform module added with the front door, the access guard and External
 * Secrets, as pure checks over the parsed HCL (one line per broken rule, [] when all hold), so a
 * test can run each on the real tree and on a copy with the guarded thing broken.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blocks, expression, locals, strings, type Block, type HclBody } from '../../generators/terraform/hcl.ts';
import { terraformKeys } from '../../generators/terraform/tfvars.ts';
import { PINS } from '../../scripts/lib/versions.ts';
import type { Configs } from './terraform-conventions.ts';

const platformOf = (configs: Configs) => configs.find((c) => c.dir === 'modules/platform');
const at = (b: Block, what: string) => `terraform/modules/platform/${b.file}: ${b.labels.join('.')} ${what}`;

/** The access annotations every Terraform-made Ingress must carry, and the local holding them. */
const GUARD_LOCAL = 'local.platform_alb_annotations';
/** Annotation keys that decide who reaches a load balancer (their names in var.keys): set in local.alb_access_annotations only. */
const ACCESS_KEYS = ['alb_scheme', 'alb_inbound_cidrs', 'alb_auth_type'];

function hasGuardPrecondition(body: HclBody): boolean {
  const preconditions = ((body.lifecycle as HclBody[] | undefined) ?? []).flatMap((l) => (l.precondition as HclBody[] | undefined) ?? []);
  return preconditions.some((p) => expression(p.condition).trim() === 'local.access_guarded');
}

/**
 * Every Ingress Terraform creates carries the access guard: the front door's
 * kubernetes_ingress_v1 and every Helm chart whose values enable an Ingress take their
 * annotations from local.platform_alb_annotations (which holds local.alb_access_annotations),
 * and each refuses to plan when the guard is missing (precondition on local.access_guarded).
 * No Ingress is made another way, and no file sets the access annotations outside that local.
 * The one exception, Argo CD's webhook (argocd-webhook.tf), takes local.argocd_webhook_annotations,
 * its own class and a precondition on local.argocd_webhook_guarded (GitHub's ranges, never 0.0.0.0/0).
 */
export function checkIngressGuard(configs: Configs): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const problems: string[] = [];
  const l = locals(platform);
  if (!expression(l.get('platform_alb_annotations') ?? '').includes('local.alb_access_annotations')) {
    problems.push('local.platform_alb_annotations must include local.alb_access_annotations');
  }
  if (!/local\.access\.scheme/.test(expression(l.get('alb_access_annotations') ?? ''))) problems.push('local.alb_access_annotations must set the scheme from local.access');

  const resources = blocks(platform, 'resource', 2);
  let ingresses = 0;
  for (const r of resources) {
    const type = r.labels[0]!;
    if (type === 'kubernetes_ingress_v1' && r.labels[1] === 'argocd_webhook') {
      // The one Ingress outside the cluster's access guard: Argo CD's webhook, internet-facing for
      // GitHub, in a class of its own whose IngressClassParams pin GitHub's ranges (argocd-webhook.tf).
      ingresses++;
      const metadata = (r.body.metadata as HclBody[] | undefined)?.[0];
      const spec = (r.body.spec as HclBody[] | undefined)?.[0];
      if (expression(metadata?.annotations ?? '') !== 'local.argocd_webhook_annotations') problems.push(at(r, 'must take its annotations from local.argocd_webhook_annotations'));
      if (!/^kubernetes_ingress_class_v1\.argocd_webhook\[0\]/.test(expression(spec?.ingress_class_name ?? ''))) problems.push(at(r, 'must use the webhook\'s own class, kubernetes_ingress_class_v1.argocd_webhook'));
      const preconditions = ((r.body.lifecycle as HclBody[] | undefined) ?? []).flatMap((l) => (l.precondition as HclBody[] | undefined) ?? []);
      if (!preconditions.some((p) => expression(p.condition).trim() === 'local.argocd_webhook_guarded')) problems.push(at(r, 'needs a precondition on local.argocd_webhook_guarded'));
    } else if (type === 'kubernetes_ingress_v1') {
      ingresses++;
      const metadata = (r.body.metadata as HclBody[] | undefined)?.[0];
      if (!expression(metadata?.annotations ?? '').includes(GUARD_LOCAL)) problems.push(at(r, `must take its annotations from ${GUARD_LOCAL}`));
      if (!hasGuardPrecondition(r.body)) problems.push(at(r, 'needs a precondition on local.access_guarded'));
    } else if (type === 'helm_release') {
      const values = strings(r.body.values).join('\n');
      if (!/\bingress\s*=\s*\{[\s\S]*?\benabled\s*=\s*true/.test(values)) continue;
      ingresses++;
      if (!new RegExp(`\\bannotations\\s*=\\s*(merge\\()?${GUARD_LOCAL.replace('.', '\\.')}\\b`).test(values)) problems.push(at(r, `enables an Ingress whose annotations are not ${GUARD_LOCAL}`));
      if (!hasGuardPrecondition(r.body)) problems.push(at(r, 'enables an Ingress and needs a precondition on local.access_guarded'));
    } else if (['kubectl_manifest', 'kubernetes_manifest'].includes(type) && /kind\s*[=:]\s*"?Ingress"?\b/.test(strings(r.body).join('\n'))) {
      problems.push(at(r, 'creates an Ingress as a raw manifest; use kubernetes_ingress_v1 so the guard rules apply'));
    }
  }
  if (ingresses < 2) problems.push(`expected the front door and Headlamp Ingresses, found ${ingresses}`);

  for (const [file, parsed] of platform.files) {
    // What Terraform sends (resources, modules, locals), not the prose of variable and output descriptions.
    const locals = ((parsed.locals as HclBody[] | undefined) ?? []).map((b) => ({ ...b, alb_access_annotations: undefined }));
    const rest = JSON.stringify({ resource: parsed.resource, module: parsed.module, data: parsed.data, locals });
    // Read from var.keys, or (wrongly) spelled out.
    for (const name of ACCESS_KEYS) {
      const key = terraformKeys()[name]!;
      if (new RegExp(`\\bvar\\.keys\\.${name}\\b`).test(rest) || rest.includes(key)) problems.push(`terraform/modules/platform/${file}: sets ${key} outside local.alb_access_annotations`);
    }
  }
  return problems;
}

/**
 * The version each chart installs unless ops override it: `local.chart_versions` (versions.tf)
 * takes `coalesce(var.chart_versions.<chart>, local.pins.<NAME>)` or, for charts versioned like
 * their app, `trimprefix(local.pins.<NAME>, "v")`; the pins are those of tools/versions.env.
 * A chart whose expression has another shape maps to undefined.
 */
export function chartVersionPins(configs: Configs, pins: Readonly<Record<string, string>> = PINS): Map<string, string | undefined> {
  const platform = platformOf(configs);
  const out = new Map<string, string | undefined>();
  const locals = ((platform?.files.get('versions.tf')?.locals as HclBody[] | undefined) ?? []).find((b) => b.chart_versions)?.chart_versions as Record<string, unknown> | undefined;
  for (const [chart, value] of Object.entries(locals ?? {})) {
    const m = new RegExp(`^\\$\\{coalesce\\(var\\.chart_versions\\.${chart}, (?:local\\.pins\\.(\\w+)|trimprefix\\(local\\.pins\\.(\\w+), "v"\\))\\)\\}$`).exec(String(value));
    const pin = m && pins[m[1] ?? m[2]!];
    out.set(chart, pin === null || pin === undefined ? undefined : m?.[2] ? pin.replace(/^v/, '') : pin);
  }
  return out;
}

/** Every Helm release takes its version from local.chart_versions, which falls back to an exact X.Y.Z pin of tools/versions.env. */
export function checkChartPins(configs: Configs, pins: Readonly<Record<string, string>> = PINS): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const problems: string[] = [];
  const versions = chartVersionPins(configs, pins);
  for (const r of blocks(platform, 'resource', 2).filter((b) => b.labels[0] === 'helm_release')) {
    const m = /^\$\{local\.chart_versions\.(\w+)\}$/.exec(String(r.body.version ?? ''));
    if (!m) problems.push(at(r, `must set version = local.chart_versions.<chart>, found ${JSON.stringify(r.body.version)}`));
    else if (!versions.has(m[1]!)) problems.push(at(r, `uses local.chart_versions.${m[1]}, which has no pin`));
  }
  for (const [chart, version] of versions) {
    if (version === undefined) problems.push(`local.chart_versions.${chart} must be coalesce(var.chart_versions.${chart}, <a pin of tools/versions.env>)`);
    else if (!/^\d+\.\d+\.\d+$/.test(version)) problems.push(`chart_versions.${chart} must be pinned exactly ("X.Y.Z"), found "${version}"`);
  }
  return problems;
}

/** The vendored CRD fixtures and the chart each must match: fixture folder, Go module, chart_versions key. */
export const CRD_FIXTURES = [
  { fixture: 'keda', module: 'github.com/kedacore/keda/v2', chart: 'keda' },
  { fixture: 'http-add-on', module: 'github.com/kedacore/http-add-on', chart: 'keda_http_add_on' },
  { fixture: 'external-secrets', module: 'github.com/external-secrets/external-secrets', chart: 'external_secrets' },
] as const;

/**
 * The CRDs vendored in test/fixtures/<fixture>/ (their README names `<module>@vX.Y.Z`) are the
 * CRDs of the version Terraform installs: these charts' versions follow their app versions.
 */
export function checkFixturesMatchPins(configs: Configs, fixturesDir: string, pins: Readonly<Record<string, string>> = PINS): string[] {
  const defaults = chartVersionPins(configs, pins);
  const problems: string[] = [];
  for (const { fixture, module, chart } of CRD_FIXTURES) {
    const readme = readFileSync(join(fixturesDir, fixture, 'README.md'), 'utf8');
    const versions = [...new Set([...readme.matchAll(new RegExp(`${module.replaceAll('.', '\\.')}@v(\\d+\\.\\d+\\.\\d+)`, 'g'))].map((m) => m[1]!))];
    if (versions.length !== 1) problems.push(`test/fixtures/${fixture}/README.md must name exactly one ${module}@vX.Y.Z, found ${versions.join(', ') || 'none'}`);
    else if (defaults.get(chart) !== versions[0]) problems.push(`test/fixtures/${fixture} holds the CRDs of ${module}@v${versions[0]} but chart_versions.${chart} installs ${defaults.get(chart) ?? 'nothing'}`);
  }
  return problems;
}

/** Roles of the platform's own controllers, with fixed policies written in the module (no boundary). */
const PLATFORM_ROLES = ['platform_secrets'];

/**
 * Project roles stay within what ops allow: every one carries the boundary Terraform makes, and
 * both the policy attachment and the association refuse a policy outside iam.allowed_policies.
 */
export function checkProjectRoleLimits(configs: Configs): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const problems: string[] = [];
  const resource = (type: string, name: string) => blocks(platform, 'resource', 2).find((b) => b.labels[0] === type && b.labels[1] === name);
  // Every role the module makes outside the platform's fixed ones carries the boundary Terraform makes,
  // and the env associations hand out the project roles only.
  for (const r of blocks(platform, 'resource', 2).filter((b) => b.labels[0] === 'aws_iam_role' && !PLATFORM_ROLES.includes(b.labels[1]!))) {
    if (r.body.permissions_boundary !== '${aws_iam_policy.project_boundary.arn}') problems.push(`aws_iam_role.${r.labels[1]} must set permissions_boundary = aws_iam_policy.project_boundary.arn`);
  }
  if (!resource('aws_iam_policy', 'project_boundary')) problems.push('aws_iam_policy.project_boundary (the project roles\' boundary) must exist');
  const association = resource('aws_eks_pod_identity_association', 'env');
  if (association && !/^\$\{aws_iam_role\.project\[/.test(String(association.body.role_arn))) problems.push('aws_eks_pod_identity_association.env must hand out aws_iam_role.project only');
  for (const r of [resource('aws_iam_role_policy_attachment', 'project'), resource('aws_eks_pod_identity_association', 'env')]) {
    if (!r) {
      problems.push('the project policy attachment and the env association must exist');
      continue;
    }
    const preconditions = ((r.body.lifecycle as HclBody[] | undefined) ?? []).flatMap((x) => (x.precondition as HclBody[] | undefined) ?? []);
    if (!preconditions.some((p) => /var\.iam\.allowed_policies/.test(expression(p.condition)))) problems.push(at(r, 'needs a precondition against var.iam.allowed_policies'));
  }
  return problems;
}

/** The VPC CNI add-on enforces NetworkPolicies (without it every generated NetworkPolicy is ignored). */
export function checkNetworkPolicyEnforced(configs: Configs): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const problems: string[] = [];
  const eks = blocks(platform, 'module', 1).find((b) => b.labels[0] === 'eks');
  const cni = expression((eks?.body.addons as Record<string, HclBody> | undefined)?.['vpc-cni']?.configuration_values ?? '');
  if (!/^jsonencode\(\{[\s\S]*\benableNetworkPolicy\s*=\s*"true"[\s\S]*\}\)$/.test(cni.trim())) {
    problems.push('module "eks" must configure the vpc-cni add-on with enableNetworkPolicy = "true"');
  }
  return problems;
}

/**
 * The External Secrets role may only read: these actions, on local.readable_secret_arns (project
 * secrets), KMS through Secrets Manager, and assume the platform store's role; an explicit Deny
 * keeps it off every other secret (the platform's included), whatever else is attached to it.
 */
export function checkExternalSecretsPolicy(configs: Configs): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const doc = blocks(platform, 'data', 2).find((b) => b.labels[0] === 'aws_iam_policy_document' && b.labels[1] === 'external_secrets');
  if (!doc) return ['data.aws_iam_policy_document.external_secrets is missing'];
  const problems: string[] = [];
  const allowed = new Set(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds', 'kms:Decrypt']);
  const statements = (doc.body.statement as HclBody[] | undefined) ?? [];
  const deny = statements.filter((s) => s.effect === 'Deny');
  if (!deny.some((s) => JSON.stringify(s.actions) === '["secretsmanager:*"]' && expression(s.not_resources ?? '') === 'local.readable_secret_arns')) {
    problems.push('no statement denies secretsmanager:* on everything but local.readable_secret_arns (the platform\'s secrets stay out of the projects\' reach)');
  }
  if (expression(locals(platform).get('readable_secret_arns') ?? '') !== '["${local.secret_arn_base}${local.remote_key_prefix}*/*"]') {
    problems.push('local.readable_secret_arns must be the project secrets only, <prefix>*/* (a platform secret has one path segment under the prefix)');
  }
  for (const d of ((doc.body.dynamic as Record<string, HclBody[]> | undefined)?.statement ?? []).flatMap((x) => (x.content as HclBody[] | undefined) ?? [])) {
    if (JSON.stringify(d.actions) !== '["sts:AssumeRole"]' || JSON.stringify(d.resources) !== '["${local.platform_secrets_role_arn}"]') problems.push(`statement ${String(d.sid)}: only sts:AssumeRole on local.platform_secrets_role_arn may be added`);
  }
  for (const s of statements.filter((x) => x.effect !== 'Deny')) {
    if (s.effect !== undefined && s.effect !== 'Allow') problems.push(`statement ${String(s.sid)}: only Allow statements are expected`);
    const actions = (s.actions as string[] | undefined) ?? [];
    for (const a of actions) if (!allowed.has(a)) problems.push(`statement ${String(s.sid)}: ${a} is not a read-only action the operator needs`);
    const resources = expression(s.resources ?? '');
    if (actions.some((a) => a.startsWith('secretsmanager:')) && resources !== 'local.readable_secret_arns') problems.push(`statement ${String(s.sid)}: Secrets Manager actions must be limited to local.readable_secret_arns, found ${resources}`);
    if (actions.includes('kms:Decrypt') && !JSON.stringify(s.condition ?? []).includes('kms:ViaService')) problems.push(`statement ${String(s.sid)}: kms:Decrypt must be limited to calls through Secrets Manager (kms:ViaService)`);
  }
  return problems;
}

/** The statements of `data "aws_iam_policy_document" "<name>"`, as parsed (expressions as `${...}` text). */
function policyStatements(configs: Configs, name: string): HclBody[] | undefined {
  const platform = platformOf(configs);
  const doc = platform && blocks(platform, 'data', 2).find((b) => b.labels[0] === 'aws_iam_policy_document' && b.labels[1] === name);
  return doc ? ((doc.body.statement as HclBody[] | undefined) ?? []) : undefined;
}

const principalsOf = (s: HclBody) => ((s.principals as HclBody[] | undefined) ?? []).flatMap((p) => (Array.isArray(p.identifiers) ? p.identifiers : [p.identifiers]).map((i) => `${String(p.type)}:${expression(i)}`));
const conditionsOf = (s: HclBody) => ((s.condition as HclBody[] | undefined) ?? []).map((c) => `${String(c.test)} ${String(c.variable)} ${JSON.stringify((c.values as unknown[]).map(expression))}`);

const EFS_CLIENT_ACTIONS = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'];
const EFS_CSI_ROLE = 'module.efs_csi_pod_identity.iam_role_arn';

/**
 * The envs' EFS file system has a file system policy (terraform/modules/platform/storage.tf):
 * NFS clients only as the CSI driver's role, through a mount target; every other principal
 * (anonymous included) refused its Client* actions; nothing without TLS. The driver mounts with
 * `iam` (StorageClass), and its node Pods hold that role (a Pod Identity association).
 */
export function checkEfsPolicy(configs: Configs): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const problems: string[] = [];
  const resources = blocks(platform, 'resource', 2);
  const policy = resources.find((r) => r.labels[0] === 'aws_efs_file_system_policy');
  if (!policy) problems.push('aws_efs_file_system_policy for aws_efs_file_system.envs is missing (EFS then grants every client full access)');
  else {
    if (expression(policy.body.file_system_id) !== 'aws_efs_file_system.envs.id') problems.push(at(policy, 'must apply to aws_efs_file_system.envs'));
    if (expression(policy.body.policy) !== 'data.aws_iam_policy_document.efs.json') problems.push(at(policy, 'must be data.aws_iam_policy_document.efs.json'));
    if (policy.body.bypass_policy_lockout_safety_check === true) problems.push(at(policy, 'must not bypass the lockout safety check'));
  }
  const statements = policyStatements(configs, 'efs');
  if (!statements) return [...problems, 'data.aws_iam_policy_document.efs is missing'];
  const allows = statements.filter((s) => (s.effect ?? 'Allow') === 'Allow');
  const denies = statements.filter((s) => s.effect === 'Deny');
  for (const s of allows) {
    const sid = String(s.sid);
    if (JSON.stringify(principalsOf(s)) !== JSON.stringify([`AWS:${EFS_CSI_ROLE}`])) problems.push(`statement ${sid}: may allow only the CSI driver's role (${EFS_CSI_ROLE}), found ${JSON.stringify(principalsOf(s))}`);
    for (const a of (s.actions as string[] | undefined) ?? []) if (!EFS_CLIENT_ACTIONS.includes(a)) problems.push(`statement ${sid}: allows ${a}, not an NFS client action`);
    if (!conditionsOf(s).includes('Bool elasticfilesystem:AccessedViaMountTarget ["true"]')) problems.push(`statement ${sid}: must require elasticfilesystem:AccessedViaMountTarget`);
  }
  if (allows.length === 0) problems.push('no statement allows the CSI driver\'s role to mount');
  const everyone = (s: HclBody) => JSON.stringify(principalsOf(s)) === JSON.stringify(['*:*']);
  if (!denies.some((s) => everyone(s) && JSON.stringify(s.actions) === '["*"]' && conditionsOf(s).includes('Bool aws:SecureTransport ["false"]'))) {
    problems.push('no statement denies every action to everyone without TLS (aws:SecureTransport = false)');
  }
  if (!denies.some((s) => everyone(s) && EFS_CLIENT_ACTIONS.every((a) => ((s.actions as string[] | undefined) ?? []).includes(a)) && conditionsOf(s).includes(`ArnNotEquals aws:PrincipalArn ["${EFS_CSI_ROLE}"]`))) {
    problems.push('no statement denies the NFS client actions to every principal but the CSI driver\'s role (ArnNotEquals aws:PrincipalArn)');
  }

  const storageClass = resources.find((r) => r.labels[0] === 'kubernetes_storage_class_v1');
  if (!((storageClass?.body.mount_options as string[] | undefined) ?? []).includes('iam')) problems.push('the StorageClass must mount with the `iam` option (the node Pod\'s role signs in)');
  if (/encryptInTransit/i.test(JSON.stringify(storageClass?.body.parameters ?? {}))) problems.push('the StorageClass must not touch encryptInTransit (TLS is the driver\'s default)');
  const csi = blocks(platform, 'module', 1).find((b) => b.labels[0] === 'efs_csi_pod_identity');
  const associations = Object.values((csi?.body.associations as Record<string, HclBody> | undefined) ?? {});
  if (!associations.some((a) => expression(a.service_account) === 'local.efs_csi_node_service_account')) problems.push('module.efs_csi_pod_identity must associate its role with the CSI node ServiceAccount (local.efs_csi_node_service_account)');
  return problems;
}

/**
 * The load balancer controller's IngressClasses carry IngressClassParams (terraform/modules/platform/ingress.tf):
 * the env class (the chart's, var.names.ingress_class) with local.env_ingress_class_params_spec, the
 * platform class (kubernetes_ingress_class_v1.platform) pointing at the IngressClassParams
 * Terraform applies from local.platform_ingress_class_params, which refuses to plan unguarded.
 */
export function checkIngressClasses(configs: Configs): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const problems: string[] = [];
  const resources = blocks(platform, 'resource', 2);
  const lbc = resources.find((r) => r.labels[0] === 'helm_release' && r.labels[1] === 'aws_load_balancer_controller');
  const values = strings(lbc?.body.values ?? []).join('\n');
  if (!/\bingressClassParams\s*=\s*\{\s*create\s*=\s*true\s*name\s*=\s*var\.names\.ingress_class\s*spec\s*=\s*local\.env_ingress_class_params_spec\s*\}/.test(values)) {
    problems.push('the load balancer controller\'s chart must create the env class\'s IngressClassParams (ingressClassParams = { create = true, name = var.names.ingress_class, spec = local.env_ingress_class_params_spec })');
  }
  const params = resources.find((r) => r.labels[0] === 'kubectl_manifest' && r.labels[1] === 'platform_ingress_class_params');
  if (expression(params?.body.yaml_body ?? '') !== 'yamlencode(local.platform_ingress_class_params)') problems.push('kubectl_manifest.platform_ingress_class_params must apply local.platform_ingress_class_params');
  else if (!hasGuardPrecondition(params!.body)) problems.push(at(params!, 'needs a precondition on local.access_guarded'));
  const klass = resources.find((r) => r.labels[0] === 'kubernetes_ingress_class_v1' && r.labels[1] === 'platform');
  const parameters = ((klass?.body.spec as HclBody[] | undefined)?.[0]?.parameters as HclBody[] | undefined)?.[0];
  if (parameters?.kind !== 'IngressClassParams' || expression(parameters?.name) !== 'local.platform_ingress_class') problems.push('kubernetes_ingress_class_v1.platform must point at the IngressClassParams local.platform_ingress_class');
  return problems;
}

/**
 * The platform's controller roles (every terraform-aws-modules/eks-pod-identity module) trust only
 * this account's cluster (confused-deputy conditions aws:SourceAccount and aws:SourceArn, as the
 * env roles), and no node role carries AmazonSSMManagedInstanceCore.
 */
export function checkPlatformRoleTrust(configs: Configs): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const problems: string[] = [];
  for (const m of blocks(platform, 'module', 1).filter((b) => String(b.body.source).startsWith('terraform-aws-modules/eks-pod-identity/'))) {
    const conditions = (Array.isArray(m.body.trust_policy_conditions) ? m.body.trust_policy_conditions : []) as HclBody[];
    const has = (variable: string, value: string) => conditions.some((c) => c.variable === variable && JSON.stringify(c.values) === JSON.stringify([value]));
    if (!has('aws:SourceAccount', '${local.account_id}') || !has('aws:SourceArn', '${module.eks.cluster_arn}')) {
      problems.push(`terraform/modules/platform/${m.file}: module.${m.labels[0]} must trust only this account's cluster (trust_policy_conditions on aws:SourceAccount and aws:SourceArn)`);
    }
  }
  for (const [file, parsed] of platform.files) {
    if (JSON.stringify(parsed).includes('AmazonSSMManagedInstanceCore')) problems.push(`terraform/modules/platform/${file}: attaches AmazonSSMManagedInstanceCore (SSM on every resource) to a node role`);
  }
  return problems;
}

/**
 * Nobody is cluster-admin implicitly: the EKS module's cluster-creator admin is off, and the
 * identity that runs Terraform is an explicit admin access entry (var.terraform_admin).
 */
export function checkClusterAdmins(configs: Configs): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const problems: string[] = [];
  const eks = blocks(platform, 'module', 1).find((b) => b.labels[0] === 'eks');
  if (eks?.body.enable_cluster_creator_admin_permissions !== false) problems.push('module "eks" must set enable_cluster_creator_admin_permissions = false (no implicit cluster-admin for the creator)');
  if (!expression(locals(platform).get('admin_access_entries') ?? '').includes('var.terraform_admin')) problems.push('local.admin_access_entries must give var.terraform_admin an explicit access entry');
  return problems;
}

/**
 * The load balancers' access-log bucket (terraform/modules/platform/alb-logs.tf): SSE-S3 (the only
 * encryption ALB log delivery supports), every public access blocked, owner-enforced objects, logs
 * that expire, written by Elastic Load Balancing's log delivery only and over TLS only; and every
 * ALB attribute list carries the access-log attributes naming it.
 */
export function checkAlbAccessLogs(configs: Configs): string[] {
  const platform = platformOf(configs);
  if (!platform) return ['terraform/modules/platform/: missing'];
  const problems: string[] = [];
  const resource = (type: string) => blocks(platform, 'resource', 2).find((b) => b.labels[0] === type && b.labels[1] === 'alb_logs')?.body;
  const first = (b: HclBody | undefined, key: string) => ((b?.[key] as HclBody[] | undefined) ?? [])[0];
  if (!resource('aws_s3_bucket')) problems.push('aws_s3_bucket.alb_logs must exist');
  const sse = first(first(resource('aws_s3_bucket_server_side_encryption_configuration'), 'rule'), 'apply_server_side_encryption_by_default');
  if (sse?.sse_algorithm !== 'AES256') problems.push('aws_s3_bucket_server_side_encryption_configuration.alb_logs must use SSE-S3 (AES256), the only encryption ALB log delivery supports');
  const block = resource('aws_s3_bucket_public_access_block');
  if (!block || !['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => block[k] === true)) problems.push('aws_s3_bucket_public_access_block.alb_logs must block every kind of public access');
  if (first(resource('aws_s3_bucket_ownership_controls'), 'rule')?.object_ownership !== 'BucketOwnerEnforced') problems.push('aws_s3_bucket_ownership_controls.alb_logs must be BucketOwnerEnforced');
  if (!first(first(resource('aws_s3_bucket_lifecycle_configuration'), 'rule'), 'expiration')) problems.push('aws_s3_bucket_lifecycle_configuration.alb_logs must expire the logs');
  const statements = policyStatements(configs, 'alb_logs') ?? [];
  const writers = statements.filter((s) => s.effect !== 'Deny').flatMap(principalsOf);
  if (!writers.includes('Service:logdelivery.elasticloadbalancing.amazonaws.com')) problems.push('the alb_logs bucket policy must let logdelivery.elasticloadbalancing.amazonaws.com write the logs');
  for (const w of writers) if (!['Service:logdelivery.elasticloadbalancing.amazonaws.com', 'AWS:data.aws_elb_service_account.current.arn'].includes(w)) problems.push(`the alb_logs bucket policy must let only Elastic Load Balancing write, found ${w}`);
  if (!statements.some((s) => s.effect === 'Deny' && conditionsOf(s).includes('Bool aws:SecureTransport ["false"]'))) problems.push('the alb_logs bucket policy must deny requests without TLS (aws:SecureTransport false)');
  const attributes = expression(locals(platform).get('alb_security_attributes') ?? '');
  if (!attributes.includes('local.alb_access_log_attributes')) problems.push('local.alb_security_attributes (every ALB of both classes) must include local.alb_access_log_attributes');
  return problems;
}
