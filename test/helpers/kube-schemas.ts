/**
 * Schema checks for what devfleet generates, for tests only:
 *
 * - Kubernetes objects against the Kubernetes OpenAPI schema, through the model classes of
 *   `kubernetes-models` (each class carries a compiled validator of its kind);
 * - Argo CD objects against the `openAPIV3Schema` of the Argo CD CRDs in
 *   test/fixtures/argo-cd/ (copied from argoproj/argo-cd, see the README there), with ajv; the
 *   same for External Secrets, KEDA and the KEDA HTTP add-on (test/fixtures/external-secrets/,
 *   keda/, http-add-on/). The CRDs' CEL rules (x-kubernetes-validations) are not evaluated here:
 *   test/integration/ sends the same objects to a real API server, which does;
 * - the name and label syntax Kubernetes enforces (DNS-1123 / DNS-1035 names, qualified label
 *   keys, label values), which neither of the above checks.
 *
 * Nothing here guesses: a kind without a schema is an error, never a silent pass.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { Status } from '@kubernetes-models/apimachinery/apis/meta/v1/Status';
import { Deployment, DeploymentList, ReplicaSet, ReplicaSetList } from 'kubernetes-models/apps/v1';
import { Scale } from 'kubernetes-models/autoscaling/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { ClusterRole, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { LimitRange, Namespace, PersistentVolumeClaim, Pod, PodList, ResourceQuota, Service, ServiceAccount } from 'kubernetes-models/v1';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof import('ajv-formats').default;

export type KubeObject = {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; labels?: Record<string, unknown>; annotations?: Record<string, unknown>; [k: string]: unknown };
  [key: string]: unknown;
};

/** One parsed document and where it came from (file or `# Source:` line), for error messages. */
export interface SourcedObject {
  readonly source: string;
  readonly object: KubeObject;
}

/**
 * Every document of a multi-document YAML text. Parsed with YAML 1.1 rules, as Helm, Argo CD
 * and kubectl read manifests (sigs.k8s.io/yaml): an unquoted `yes` or `0755` comes out as the
 * boolean or number a cluster would see, not as the string a YAML 1.2 reader would return.
 * Syntax errors, duplicate keys and empty documents are errors.
 */
export function parseManifests(text: string, file: string): SourcedObject[] {
  const out: SourcedObject[] = [];
  for (const doc of parseAllDocuments(text, { version: '1.1', uniqueKeys: true, strict: true, prettyErrors: false })) {
    if (doc.errors.length > 0) throw new Error(`${file}: invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    if (doc.warnings.length > 0) throw new Error(`${file}: YAML warnings: ${doc.warnings.map((e) => e.message).join('; ')}`);
    const object = doc.toJS({ maxAliasCount: 0 }) as unknown;
    // Helm's `# Source: <chart>/templates/<file>` comment, kept by the parser as the document's leading comment.
    // (after `---` the parser attaches it to the document's top mapping).
    const leading = `${doc.commentBefore ?? ''}\n${(doc.contents as { commentBefore?: string | null } | null)?.commentBefore ?? ''}`;
    const sourceLine = /^\s*Source: (.+)$/m.exec(leading)?.[1];
    if (object === null || object === undefined) throw new Error(`${file}: empty YAML document${sourceLine ? ` (${sourceLine.trim()})` : ''}`);
    if (typeof object !== 'object' || Array.isArray(object)) throw new Error(`${file}: a document is not a mapping: ${JSON.stringify(object).slice(0, 80)}`);
    out.push({ source: sourceLine ? sourceLine.trim() : file, object: object as KubeObject });
  }
  return out;
}

/** `kind/name` of an object, for messages. */
export function describe(object: KubeObject): string {
  return `${String(object.apiVersion)} ${String(object.kind)}/${String(object.metadata?.name)}`;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes built-in kinds

type ModelClass = new (data: never) => { validate(): void };

/** The kinds devfleet may emit, with the model that holds each one's OpenAPI schema. */
export const KUBE_MODELS: ReadonlyMap<string, ModelClass> = new Map<string, ModelClass>([
  ['v1/ServiceAccount', ServiceAccount as unknown as ModelClass],
  ['v1/Service', Service as unknown as ModelClass],
  ['v1/PersistentVolumeClaim', PersistentVolumeClaim as unknown as ModelClass],
  ['v1/Namespace', Namespace as unknown as ModelClass],
  ['v1/ResourceQuota', ResourceQuota as unknown as ModelClass],
  ['v1/LimitRange', LimitRange as unknown as ModelClass],
  ['apps/v1/Deployment', Deployment as unknown as ModelClass],
  ['networking.k8s.io/v1/Ingress', Ingress as unknown as ModelClass],
  ['networking.k8s.io/v1/NetworkPolicy', NetworkPolicy as unknown as ModelClass],
  ['batch/v1/CronJob', CronJob as unknown as ModelClass],
  ['rbac.authorization.k8s.io/v1/ClusterRole', ClusterRole as unknown as ModelClass],
  ['admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy', ValidatingAdmissionPolicy as unknown as ModelClass],
  ['admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding', ValidatingAdmissionPolicyBinding as unknown as ModelClass],
  ['rbac.authorization.k8s.io/v1/Role', Role as unknown as ModelClass],
  ['rbac.authorization.k8s.io/v1/RoleBinding', RoleBinding as unknown as ModelClass],
  ['admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy', ValidatingAdmissionPolicy as unknown as ModelClass],
  ['admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding', ValidatingAdmissionPolicyBinding as unknown as ModelClass],
]);

/**
 * Schema errors of a Kubernetes object; empty when it validates. An apiVersion/kind without a
 * model is an error. Note: the kubernetes-models validators check types, required fields and
 * enums, but do not reject unknown fields (the OpenAPI v2 documents have no
 * additionalProperties: false); the contract tests check the fields devfleet relies on.
 */
export function kubeSchemaErrors(object: KubeObject): string[] {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const Model = KUBE_MODELS.get(key);
  if (!Model) return [`${describe(object)}: no Kubernetes schema known for apiVersion/kind "${key}" (known: ${[...KUBE_MODELS.keys()].join(', ')})`];
  try {
    new Model(structuredClone(object) as never).validate();
    return [];
  } catch (error) {
    return [`${describe(object)}: ${(error as Error).message}`];
  }
}

// ---------------------------------------------------------------------------------------------
// Argo CD CRDs

export const ARGO_CD_FIXTURES = fileURLToPath(new URL('../fixtures/argo-cd/', import.meta.url));

type Schema = Record<string, unknown>;

/**
 * The CRD's schema made strict for testing.
 *
 * A CRD schema is "structural": the API server prunes (silently drops) fields the schema does
 * not declare, except under `x-kubernetes-preserve-unknown-fields: true`. The Argo CD schemas
 * therefore never say `additionalProperties: false`, and plain JSON Schema validation would
 * accept a misspelled `spec.destnation` — which a real cluster would drop, leaving an
 * Application without a destination. For a test, rejecting unknown fields is the useful check,
 * so `additionalProperties: false` is added wherever a schema lists `properties`, declares no
 * `additionalProperties` of its own and does not preserve unknown fields.
 *
 * `x-kubernetes-int-or-string: true` means "integer or string"; the Argo CD schemas already
 * spell it out as `anyOf: [integer, string]`, and where one does not, that anyOf is added here.
 */
export function strictStructuralSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictStructuralSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const input = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value as Schema).map(([name, sub]) => [name, strictStructuralSchema(sub)]));
    } else if (['items', 'additionalProperties', 'not', 'anyOf', 'allOf', 'oneOf'].includes(key)) {
      out[key] = strictStructuralSchema(value);
    } else {
      out[key] = value;
    }
  }
  if (input['x-kubernetes-int-or-string'] === true && !('anyOf' in input) && !('oneOf' in input)) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if ('properties' in input && !('additionalProperties' in input) && input['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

interface CrdVersion {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly validate: ValidateFunction;
}

function newAjv(): Ajv {
  // strict: false — the CRD schemas carry x-kubernetes-* keywords ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv, ['date-time']);
  // OpenAPI's int64 is a number format; a non-integer or out-of-range value is an error.
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  for (const keyword of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations']) {
    ajv.addKeyword({ keyword }); // annotations only: their meaning is applied by strictStructuralSchema
  }
  return ajv;
}

export const EXTERNAL_SECRETS_FIXTURES = fileURLToPath(new URL('../fixtures/external-secrets/', import.meta.url));

/** The served versions of the CRDs in `files` (under `dir`), by `apiVersion/kind`, schemas made strict. */
function crdVersions(dir: string, files: readonly string[]): Map<string, CrdVersion> {
  const ajv = newAjv();
  const map = new Map<string, CrdVersion>();
  for (const file of files) {
    const crd = parse(readFileSync(`${dir}${file}`, 'utf8')) as {
      kind: string;
      spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: unknown } }[] };
    };
    if (crd.kind !== 'CustomResourceDefinition') throw new Error(`${file} is not a CRD`);
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const validate = ajv.compile(strictStructuralSchema(version.schema.openAPIV3Schema) as Schema);
      map.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, { group: crd.spec.group, kind: crd.spec.names.kind, version: version.name, validate });
    }
  }
  return map;
}

export const KEDA_FIXTURES = fileURLToPath(new URL('../fixtures/keda/', import.meta.url));
export const HTTP_ADD_ON_FIXTURES = fileURLToPath(new URL('../fixtures/http-add-on/', import.meta.url));

let argoValidators: Map<string, CrdVersion> | undefined;
let externalSecretsValidators: Map<string, CrdVersion> | undefined;
let kedaValidators: Map<string, CrdVersion> | undefined;

/** The served versions of the Argo CD CRDs, by `apiVersion/kind`. */
export function argoCrdVersions(): Map<string, CrdVersion> {
  argoValidators ??= crdVersions(ARGO_CD_FIXTURES, ['application-crd.yaml', 'appproject-crd.yaml']);
  return argoValidators;
}

/** The served versions of the External Secrets CRDs devfleet's charts use (ESO v1.3.2), by `apiVersion/kind`. */
export function externalSecretsCrdVersions(): Map<string, CrdVersion> {
  externalSecretsValidators ??= crdVersions(EXTERNAL_SECRETS_FIXTURES, ['external-secrets.io_externalsecrets.yaml', 'generators.external-secrets.io_passwords.yaml']);
  return externalSecretsValidators;
}

function crdErrors(object: KubeObject, versions: Map<string, CrdVersion>, what: string): string[] {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const crd = versions.get(key);
  if (!crd) return [`${describe(object)}: no ${what} CRD serves apiVersion/kind "${key}" (served: ${[...versions.keys()].join(', ')})`];
  if (crd.validate(object)) return [];
  return (crd.validate.errors ?? []).map(
    (e) => `${describe(object)}: ${e.instancePath || '/'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"` : ''}`,
  );
}

/** The served versions of the KEDA ScaledObject (v2.21.0) and HTTP add-on InterceptorRoute (v0.15.0) CRDs, by `apiVersion/kind`. */
export function kedaCrdVersions(): Map<string, CrdVersion> {
  kedaValidators ??= new Map([...crdVersions(KEDA_FIXTURES, ['keda.sh_scaledobjects.yaml']), ...crdVersions(HTTP_ADD_ON_FIXTURES, ['http.keda.sh_interceptorroutes.yaml'])]);
  return kedaValidators;
}

/** Errors of a KEDA object (ScaledObject, InterceptorRoute) against its CRD schema. */
export function kedaSchemaErrors(object: KubeObject): string[] {
  return crdErrors(object, kedaCrdVersions(), 'KEDA');
}

/** Errors of an Argo CD object against its CRD schema; an unknown apiVersion/kind is an error. */
export function argoSchemaErrors(object: KubeObject): string[] {
  return crdErrors(object, argoCrdVersions(), 'Argo CD');
}

/** Errors of an External Secrets object (ExternalSecret, Password) against its CRD schema. */
export function externalSecretsSchemaErrors(object: KubeObject): string[] {
  return crdErrors(object, externalSecretsCrdVersions(), 'External Secrets');
}

/**
 * What the API server answers to the calls devfleet makes itself (generators/kube/), kinds it reads
 * but never emits, with the model of each one's OpenAPI schema. A List is checked with its items.
 */
export const SERVED_MODELS: ReadonlyMap<string, ModelClass> = new Map<string, ModelClass>([
  ['apps/v1/Deployment', Deployment as unknown as ModelClass],
  ['apps/v1/DeploymentList', DeploymentList as unknown as ModelClass],
  ['apps/v1/ReplicaSet', ReplicaSet as unknown as ModelClass],
  ['apps/v1/ReplicaSetList', ReplicaSetList as unknown as ModelClass],
  ['v1/Pod', Pod as unknown as ModelClass],
  ['v1/PodList', PodList as unknown as ModelClass],
  ['autoscaling/v1/Scale', Scale as unknown as ModelClass],
  ['v1/Status', Status as unknown as ModelClass],
]);

/**
 * Schema errors of an answer of the Kubernetes API (a stand-in's, test/helpers/kube-stand-in.ts):
 * built-in kinds by their model, KEDA's ScaledObject (and each item of a ScaledObjectList) by its
 * CRD, made strict as above. A kind with neither is an error.
 */
export function servedSchemaErrors(object: KubeObject): string[] {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  if (key === 'keda.sh/v1alpha1/ScaledObjectList') {
    const items = object.items;
    if (!Array.isArray(items)) return [`${describe(object)}: items is not a list`];
    return items.flatMap((item) => kedaSchemaErrors({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', ...(item as KubeObject) }));
  }
  if (String(object.apiVersion).split('/')[0] === 'keda.sh') return kedaSchemaErrors(object);
  const Model = SERVED_MODELS.get(key);
  if (!Model) return [`${describe(object)}: no Kubernetes schema known for apiVersion/kind "${key}" (known: ${[...SERVED_MODELS.keys()].join(', ')}, keda.sh/v1alpha1/ScaledObject)`];
  try {
    new Model(structuredClone(object) as never).validate();
    return [];
  } catch (error) {
    return [`${describe(object)}: ${(error as Error).message}`];
  }
}

/** Schema errors of any object devfleet generates: Argo CD, External Secrets and KEDA kinds by CRD, the rest by Kubernetes model. */
export function schemaErrors(object: KubeObject): string[] {
  const group = String(object.apiVersion).split('/')[0];
  if (group === 'argoproj.io') return argoSchemaErrors(object);
  if (group === 'external-secrets.io' || group === 'generators.external-secrets.io') return externalSecretsSchemaErrors(object);
  if (group === 'keda.sh' || group === 'http.keda.sh') return kedaSchemaErrors(object);
  return kubeSchemaErrors(object);
}

// ---------------------------------------------------------------------------------------------
// Names and labels (k8s.io/apimachinery/pkg/util/validation)

/** RFC 1123 label: Namespace names, most label-like names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: Service names (must start with a letter). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_PART = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
export const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_PART}(\\.${DNS1123_SUBDOMAIN_PART})*$`);
/** IANA_SVC_NAME: container and Service port names. */
export const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

export function isDns1035Label(name: string): boolean {
  return name.length <= 63 && DNS1035_LABEL.test(name);
}

export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

export function isPortName(name: string): boolean {
  return name.length <= 15 && IANA_SVC_NAME.test(name) && !name.includes('--');
}

/** A label or annotation key: optional DNS subdomain prefix, `/`, a name of at most 63 characters. */
export function isQualifiedKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts.pop()!;
  const prefix = parts[0];
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length >= 1 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** Problems with an object's name, label keys and values, and annotation keys. */
export function metadataErrors(object: KubeObject): string[] {
  const errors: string[] = [];
  const name = object.metadata?.name;
  const what = describe(object);
  if (typeof name !== 'string') return [`${what}: metadata.name is missing`];
  const kind = String(object.kind);
  // Kubernetes' own limits: 63 for DNS labels (below), 253 for DNS subdomains (most kinds, PVCs
  // included), 52 for CronJobs (the controller appends 11 characters to name its Jobs).
  if (kind === 'CronJob' && name.length > 52) errors.push(`${what}: name is ${name.length} characters (more than 52)`);
  // Which rule the API server applies to the name of each kind.
  if (kind === 'Service' ? !isDns1035Label(name) : kind === 'Namespace' ? !isDnsLabel(name) : !isDnsSubdomain(name)) {
    errors.push(`${what}: name "${name}" is not a valid ${kind === 'Service' ? 'DNS-1035 label' : kind === 'Namespace' ? 'DNS-1123 label' : 'DNS-1123 subdomain'}`);
  }
  for (const [where, map] of [
    ['metadata.labels', object.metadata?.labels],
    ['metadata.annotations', object.metadata?.annotations],
  ] as const) {
    for (const [key, value] of Object.entries(map ?? {})) {
      if (!isQualifiedKey(key)) errors.push(`${what}: ${where} key "${key}" is not a qualified name`);
      if (typeof value !== 'string') errors.push(`${what}: ${where}["${key}"] is ${JSON.stringify(value)}, not a string`);
      else if (where === 'metadata.labels' && !isLabelValue(value)) errors.push(`${what}: label ${key}="${value}" is not a valid label value`);
    }
  }
  return errors;
}

/** Problems with a label map anywhere in an object (selectors, Pod template labels). */
export function labelMapErrors(labels: unknown, where: string): string[] {
  if (labels === undefined) return [];
  if (labels === null || typeof labels !== 'object') return [`${where}: not a map`];
  return Object.entries(labels).flatMap(([key, value]) => [
    ...(isQualifiedKey(key) ? [] : [`${where}: key "${key}" is not a qualified name`]),
    ...(typeof value === 'string' && isLabelValue(value) ? [] : [`${where}: "${key}"=${JSON.stringify(value)} is not a valid label value`]),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Helm values

/** Helm's merge of chart defaults (values.yaml) and the values an Application passes: maps merge, the rest replaces. */
export function mergeValues(base: unknown, over: unknown): unknown {
  if (isMap(base) && isMap(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = key in base ? mergeValues(base[key], value) : value;
    return out;
  }
  return over === undefined ? base : over;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A draft-07 validator (what Helm applies to values.schema.json). */
export function newJsonSchemaAjv(): Ajv {
  return new Ajv({ strict: false, allErrors: true, validateSchema: true });
}

/** A glob of Argo CD AppProject destinations/whitelists (`*` only). */
export function globMatches(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}
