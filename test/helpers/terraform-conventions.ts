/**
 * The conventions terraform/ keeps, as pure checks over the parsed HCL: each returns one line
 * per broken rule ([] when all hold), so a test can run it on the real tree AND on a mutated
 * copy, proving the check would notice the thing it guards going away.
 */
import { blocks, expression, locals, strings, terraformBlocks, type Configuration, type HclBody } from '../../generators/terraform/hcl.ts';

export type Configs = readonly Configuration[];

/** Root configurations (one per cluster) live under clusters/; everything else is a shared module. */
export const isRoot = (c: Configuration) => c.dir.startsWith('clusters/');

const where = (c: Configuration, file: string, what: string) => `terraform/${c.dir}/${file}: ${what}`;

const REGISTRY = /^[a-z0-9-]+\/[a-z0-9-]+\/[a-z0-9-]+(\/\/[\w./-]+)?$/;
const EXACT = /^=?\s*\d+\.\d+\.\d+$/;

/** Every module source is local, or a registry module pinned to an exact version, or git pinned to a commit. */
export function checkModulePins(configs: Configs): string[] {
  const problems: string[] = [];
  for (const c of configs) {
    for (const m of blocks(c, 'module', 1)) {
      const source = String(m.body.source ?? '');
      const version = m.body.version;
      const at = (what: string) => problems.push(where(c, m.file, `module "${m.labels[0]}" ${what}`));
      if (source.startsWith('./') || source.startsWith('../')) {
        if (version !== undefined) at('is local and cannot take a version');
      } else if (REGISTRY.test(source)) {
        if (typeof version !== 'string' || !EXACT.test(version)) at(`source "${source}" needs an exact version "X.Y.Z", found ${JSON.stringify(version)}`);
      } else if (source.startsWith('git::')) {
        if (!/[?&]ref=[0-9a-f]{40}$/.test(source)) at(`git source "${source}" must pin a full commit hash (?ref=<40 hex>)`);
      } else {
        at(`has a source devfleet does not allow: "${source}" (use a registry module with an exact version, or ../ for a local one)`);
      }
    }
  }
  return problems;
}

/** Resource types' provider prefix, e.g. `aws_iam_role` -> `aws`. */
const providerOf = (type: string) => type.split('_')[0]!;

/**
 * Root configurations pin every provider exactly; modules state a bounded range (a minimum and
 * an upper bound). Every provider a configuration's resources use is declared with a source.
 */
export function checkProviderPins(configs: Configs): string[] {
  const problems: string[] = [];
  for (const c of configs) {
    const declared = new Map<string, { source?: string; version?: string; file: string }>();
    for (const [file, parsed] of c.files) {
      for (const t of (parsed.terraform as HclBody[] | undefined) ?? []) {
        for (const rp of (t.required_providers as HclBody[] | undefined) ?? []) {
          for (const [name, spec] of Object.entries(rp)) declared.set(name, { ...(spec as object), file });
        }
      }
    }
    for (const [name, spec] of declared) {
      const at = (what: string) => problems.push(where(c, spec.file, `provider "${name}" ${what}`));
      if (!spec.source) at('has no source');
      const v = spec.version;
      if (typeof v !== 'string') at('has no version');
      else if (isRoot(c) && !EXACT.test(v)) at(`must be pinned exactly in a root configuration ("X.Y.Z"), found "${v}"`);
      else if (!isRoot(c) && !(/>=\s*\d/.test(v) && /<\s*\d/.test(v)) && !/^~>\s*\d+\.\d+/.test(v)) at(`needs a bounded range in a module (">= a, < b"), found "${v}"`);
    }
    const used = new Set([...blocks(c, 'resource', 2), ...blocks(c, 'data', 2)].map((b) => providerOf(b.labels[0]!)));
    used.delete('terraform');
    for (const p of used) if (!declared.has(p)) problems.push(`terraform/${c.dir}/: provider "${p}" is used but not in required_providers`);
  }
  return problems;
}

/** Every configuration states the Terraform versions it works with. */
export function checkRequiredVersion(configs: Configs): string[] {
  return configs
    .filter((c) => !terraformBlocks(c).some((t) => typeof t.required_version === 'string' && t.required_version.trim() !== ''))
    .map((c) => `terraform/${c.dir}/: no terraform { required_version = ... }`);
}

/** Every variable is typed (never `any`) and described. */
export function checkVariables(configs: Configs): string[] {
  const problems: string[] = [];
  for (const c of configs) {
    for (const v of blocks(c, 'variable', 1)) {
      const at = (what: string) => problems.push(where(c, v.file, `variable "${v.labels[0]}" ${what}`));
      if (v.body.type === undefined) at('has no type');
      else if (/\bany\b/.test(expression(v.body.type))) at(`uses "any" in its type (${expression(v.body.type).replace(/\s+/g, ' ')}); write an object({...}) with optional() instead`);
      if (typeof v.body.description !== 'string' || v.body.description.trim().length < 10) at('has no description (say what it is and its valid values)');
    }
  }
  return problems;
}

/** Every output is described. */
export function checkOutputs(configs: Configs): string[] {
  const problems: string[] = [];
  for (const c of configs) {
    for (const o of blocks(c, 'output', 1)) {
      if (typeof o.body.description !== 'string' || o.body.description.trim().length < 10) problems.push(where(c, o.file, `output "${o.labels[0]}" has no description`));
    }
  }
  return problems;
}

/** Root configurations keep state in S3 with native locking and encryption; modules have no backend. */
export function checkBackends(configs: Configs): string[] {
  const problems: string[] = [];
  for (const c of configs) {
    const backends = terraformBlocks(c).flatMap((t) => Object.entries((t.backend as HclBody | undefined) ?? {}));
    if (!isRoot(c)) {
      if (backends.length > 0) problems.push(`terraform/${c.dir}/: a shared module must not declare a backend`);
      continue;
    }
    const s3 = backends.filter(([type]) => type === 's3').flatMap(([, bodies]) => bodies as HclBody[]);
    if (s3.length !== 1 || backends.length !== 1) {
      problems.push(`terraform/${c.dir}/: needs exactly one backend "s3" (found ${backends.map(([t]) => t).join(', ') || 'none'})`);
      continue;
    }
    const b = s3[0]!;
    if (b.use_lockfile !== true) problems.push(`terraform/${c.dir}/: backend "s3" needs use_lockfile = true (native state locking)`);
    if (b.encrypt !== true) problems.push(`terraform/${c.dir}/: backend "s3" needs encrypt = true`);
    if (typeof b.key !== 'string' || !b.key.endsWith('.tfstate')) problems.push(`terraform/${c.dir}/: backend "s3" needs a key ending in .tfstate`);
  }
  return problems;
}

const ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';
/** The policy ARN as Terraform would use it (descriptions may name the policy in prose). */
const ADMIN_POLICY_ARN = `cluster-access-policy/${ADMIN_POLICY}`;

/**
 * Developers' access entries map their IAM principal to the developers' Kubernetes group and
 * nothing else: no access policy, never cluster-admin. Only the admins' entries may carry the
 * cluster-admin policy, and only admins feed them.
 */
export function checkDeveloperAccess(configs: Configs): string[] {
  const problems: string[] = [];
  const platform = configs.find((c) => c.dir === 'modules/platform');
  if (!platform) return ['terraform/modules/platform/: missing'];
  const l = locals(platform);
  const developers = l.has('developer_access_entries') ? expression(l.get('developer_access_entries')) : undefined;
  const admins = l.has('admin_access_entries') ? expression(l.get('admin_access_entries')) : undefined;
  if (developers === undefined) problems.push('modules/platform: local.developer_access_entries is missing');
  else {
    if (!/\bfor\s+\w+\s*,\s*\w+\s+in\s+var\.developers\s*:/.test(developers)) problems.push('local.developer_access_entries must be built from var.developers');
    if (!/kubernetes_groups\s*=\s*\[\s*var\.names\.developers_group\s*\]/.test(developers)) problems.push('local.developer_access_entries must set kubernetes_groups = [var.names.developers_group] and no other group');
    if (!/user_name\s*=\s*\w+\.kubernetes_user\b/.test(developers)) problems.push('local.developer_access_entries must set user_name to the developer\'s kubernetes_user (the generated RoleBindings name it)');
    for (const forbidden of ['policy_associations', ADMIN_POLICY, 'system:masters', 'AmazonEKSAdminPolicy', 'AmazonEKSEditPolicy']) {
      if (developers.includes(forbidden)) problems.push(`local.developer_access_entries must not contain ${forbidden}: developers get namespace RBAC only`);
    }
  }
  // The operators (var.admins) and the identity that runs Terraform (var.terraform_admin), nothing else.
  if (admins !== undefined && !/\bfor\s+\w+\s+in\s+(var\.admins|distinct\(concat\(var\.admins,\s*\[var\.terraform_admin\]\)\))\s*:/.test(admins)) problems.push('local.admin_access_entries must be built from var.admins (and var.terraform_admin) only');
  const eks = blocks(platform, 'module', 1).find((m) => m.labels[0] === 'eks');
  const entries = eks ? expression(eks.body.access_entries) : '';
  if (!entries.includes('local.developer_access_entries')) problems.push('module "eks" access_entries must include local.developer_access_entries');
  if (eks && eks.body.authentication_mode !== 'API') problems.push('module "eks" must set authentication_mode = "API" (access entries only)');
  if (eks && JSON.stringify(eks.body.upgrade_policy) !== JSON.stringify({ support_type: 'STANDARD' })) problems.push('module "eks" must set upgrade_policy = { support_type = "STANDARD" } (extended support costs 6x)');
  // The cluster-admin policy may appear in the admins' entries and nowhere else.
  for (const c of configs) {
    for (const [file, parsed] of c.files) {
      const rest = JSON.stringify({ ...parsed, locals: ((parsed.locals as HclBody[] | undefined) ?? []).map((b) => ({ ...b, admin_access_entries: undefined })) });
      if (rest.includes(ADMIN_POLICY_ARN)) problems.push(where(c, file, `${ADMIN_POLICY} appears outside local.admin_access_entries`));
    }
  }
  return problems;
}

const REF = /(?<![\w.])(var|local|module|data)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?/g;

/**
 * Every `var.X`, `local.X`, `module.X` and `data.T.N` refers to a declaration of its
 * configuration; `module.X.Y` of a local module to one of that module's outputs; and a local
 * module's call passes only variables it declares and every variable it requires.
 */
export function checkReferences(configs: Configs): string[] {
  const problems: string[] = [];
  const byDir = new Map(configs.map((c) => [c.dir, c]));
  const resolveLocal = (c: Configuration, source: string) => {
    const parts = [...c.dir.split('/'), ...source.split('/')];
    const out: string[] = [];
    for (const p of parts) {
      if (p === '..') out.pop();
      else if (p !== '.' && p !== '') out.push(p);
    }
    return byDir.get(out.join('/'));
  };
  for (const c of configs) {
    const vars = new Set(blocks(c, 'variable', 1).map((b) => b.labels[0]!));
    const locs = new Set(locals(c).keys());
    const modules = new Map(blocks(c, 'module', 1).map((b) => [b.labels[0]!, b]));
    const data = new Set(blocks(c, 'data', 2).map((b) => `${b.labels[0]}.${b.labels[1]}`));
    for (const [file, parsed] of c.files) {
      for (const text of strings(parsed)) {
        if (!text.includes('${')) continue;
        for (const m of text.matchAll(REF)) {
          const [, kind, name, member] = m;
          const at = (what: string) => problems.push(where(c, file, what));
          if (kind === 'var' && !vars.has(name!)) at(`var.${name} is not declared`);
          else if (kind === 'local' && !locs.has(name!)) at(`local.${name} is not declared`);
          else if (kind === 'data' && !data.has(`${name}.${member}`)) at(`data.${name}.${member} is not declared`);
          else if (kind === 'module') {
            const call = modules.get(name!);
            if (!call) at(`module.${name} is not declared`);
            else if (member && String(call.body.source).startsWith('.')) {
              const target = resolveLocal(c, String(call.body.source));
              if (target && !blocks(target, 'output', 1).some((o) => o.labels[0] === member)) at(`module.${name}.${member} is not an output of ${String(call.body.source)}`);
            }
          }
        }
      }
    }
    for (const call of modules.values()) {
      const source = String(call.body.source);
      if (!source.startsWith('.')) continue;
      const target = resolveLocal(c, source);
      if (!target) {
        problems.push(where(c, call.file, `module "${call.labels[0]}" source ${source} is not a configuration under terraform/`));
        continue;
      }
      const meta = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);
      const targetVars = new Map(blocks(target, 'variable', 1).map((v) => [v.labels[0]!, v]));
      for (const arg of Object.keys(call.body)) {
        if (!meta.has(arg) && !targetVars.has(arg)) problems.push(where(c, call.file, `module "${call.labels[0]}" passes ${arg}, which ${source} does not declare`));
      }
      for (const [name, v] of targetVars) {
        if (!Object.hasOwn(v.body, 'default') && !Object.hasOwn(call.body, name)) problems.push(where(c, call.file, `module "${call.labels[0]}" does not pass the required variable ${name}`));
      }
    }
  }
  return problems;
}
