/**
 * Validators for objects Terraform creates from CRDs vendored in test/fixtures/ (unknown fields
 * rejected, as test/helpers/kube-schemas.ts does for the Argo CD CRDs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { REPO } from './fixtures.ts';
import { strictStructuralSchema } from './kube-schemas.ts';

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
}

/** Errors of `object` against the served schema of its apiVersion/kind in test/fixtures/<file>. */
export function crdErrors(file: string, object: { apiVersion?: unknown; kind?: unknown }): string[] {
  const crd = parse(readFileSync(join(REPO, 'test', 'fixtures', file), 'utf8')) as Crd;
  const [group, version] = String(object.apiVersion).split('/');
  const served = crd.spec.versions.find((v) => v.name === version && v.served);
  if (group !== crd.spec.group || object.kind !== crd.spec.names.kind || !served) return [`${String(object.apiVersion)} ${String(object.kind)} is not served by ${file}`];
  // strict: false — the schemas carry x-kubernetes-* keywords ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const keyword of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations']) {
    ajv.addKeyword({ keyword });
  }
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  const validate = ajv.compile(strictStructuralSchema(served.schema.openAPIV3Schema) as Record<string, unknown>);
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"` : ''}`);
}
