/**
 * GitHub's published REST contract, from the @octokit/openapi package (the api.github.com
 * description, OpenAPI 3.0): finds the operation of a request by method and path template and
 * validates request and response bodies against the operation's schemas with ajv.
 *
 * Only generated/api.github.com.json is read (13 MB); the package's index.js would load every
 * variant (~400 MB).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof import('ajv-formats').default;

type Json = Record<string, unknown>;

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, Json>; examples: Record<string, { value: unknown }>; schemas: Record<string, Json> };
}

export interface Operation {
  operationId: string;
  parameters?: ({ $ref?: string; name?: string; in?: string; required?: boolean; schema?: Json })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema: Json }> };
  responses: Record<string, Json>;
}

export interface MatchedOperation {
  readonly operationId: string;
  readonly template: string;
  readonly params: Record<string, string>;
  readonly operation: Operation;
}

let loaded: { doc: OpenApi; ajv: Ajv; routes: { method: string; template: string; regex: RegExp; names: string[]; literal: number }[] } | undefined;

function spec() {
  if (!loaded) {
    const pkg = createRequire(import.meta.url).resolve('@octokit/openapi/package.json');
    const doc = JSON.parse(readFileSync(join(dirname(pkg), 'generated', 'api.github.com.json'), 'utf8')) as OpenApi;
    // OpenAPI 3.0 schemas: `nullable`, `example` and vendor keys; refs point into components.
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
    addFormats(ajv);
    // GitHub's own format for "owner/name"; the only non-standard format on the bots' operations.
    ajv.addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
    ajv.addSchema({ $id: 'github', components: doc.components } as Json, undefined, undefined, false);
    const routes = Object.entries(doc.paths).flatMap(([template, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => {
          const names: string[] = [];
          const source = template.split('/').map((seg) => (seg.startsWith('{') ? (names.push(seg.slice(1, -1)), '([^/]+)') : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
          return { method: method.toUpperCase(), template, regex: new RegExp(`^${source}$`), names, literal: template.split('/').filter((s) => !s.startsWith('{')).length };
        }),
    );
    loaded = { doc, ajv, routes };
  }
  return loaded;
}

/** The operation for a method and path (without query), preferring the template with the most literal segments. */
export function findOperation(method: string, path: string): MatchedOperation | undefined {
  const { doc, routes } = spec();
  const candidates = routes
    .filter((r) => r.method === method)
    .map((r) => ({ r, m: r.regex.exec(path) }))
    .filter((x): x is { r: (typeof routes)[number]; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => b.r.literal - a.r.literal);
  const best = candidates[0];
  if (!best) return undefined;
  const operation = doc.paths[best.r.template]![method.toLowerCase()]!;
  const params = Object.fromEntries(best.r.names.map((n, i) => [n, decodeURIComponent(best.m[i + 1]!)]));
  return { operationId: operation.operationId, template: best.r.template, params, operation };
}

const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: Json): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"github#/components/')) as Json;
    v = spec().ajv.compile(rewritten);
    compiled.set(key, v);
  }
  return v;
}

const describe = (v: ValidateFunction) => (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`).join('; ');

/** Problems of a request: unknown query parameters, a body that does not match the schema. */
export function checkRequest(op: MatchedOperation, query: URLSearchParams, body: unknown): string[] {
  const problems: string[] = [];
  const { doc } = spec();
  const declared = (op.operation.parameters ?? []).map((p) => (p.$ref ? (doc.components as unknown as Record<string, Record<string, { name: string; in: string }>>).parameters![p.$ref.split('/').pop()!]! : p)) as { name: string; in: string }[];
  for (const name of query.keys()) {
    if (!declared.some((p) => p.in === 'query' && p.name === name)) problems.push(`${op.operationId}: query parameter "${name}" is not in the operation`);
  }
  const schema = op.operation.requestBody?.content?.['application/json']?.schema;
  if (schema) {
    const v = validator(`${op.operationId} request`, schema);
    if (!v(body)) problems.push(`${op.operationId}: request body does not match the schema: ${describe(v)}`);
  } else if (body !== undefined) {
    problems.push(`${op.operationId}: takes no request body, got one`);
  }
  return problems;
}

/**
 * Problems of a response. A status the operation declares is checked against its schema; an
 * error status it does not declare (GitHub documents 429 and 5xx globally, not per operation)
 * against GitHub's generic `basic-error`; an undeclared success status is a problem.
 */
export function checkResponse(op: MatchedOperation, status: number, body: unknown): string[] {
  const { doc } = spec();
  let response = op.operation.responses[String(status)] as Json | undefined;
  if (response?.$ref) response = doc.components.responses[String(response.$ref).split('/').pop()!];
  let schema = (response?.content as Record<string, { schema: Json }> | undefined)?.['application/json']?.schema;
  if (!response) {
    if (status < 400) return [`${op.operationId}: responded ${status}, which the operation does not declare`];
    schema = { $ref: '#/components/schemas/basic-error' };
  }
  if (!schema) return body === undefined || body === '' ? [] : [`${op.operationId}: ${status} has no body in the contract, got one`];
  const v = validator(`${op.operationId} ${response ? status : 'error'}`, schema);
  return v(body) ? [] : [`${op.operationId}: ${status} response does not match the schema: ${describe(v)}`];
}

/** A response example from the description (e.g. `pull-request`), deep-copied, to build realistic data from. */
export function example<T>(name: string): T {
  const found = spec().doc.components.examples[name];
  if (!found) throw new Error(`no example ${name} in GitHub's OpenAPI description`);
  return structuredClone(found.value) as T;
}
