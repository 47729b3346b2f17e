/**
 * generators/definitions/schema-check.ts: each kind of JSON Schema error becomes one problem with
 * its exact message: the field, the value, the rule and the fix. Definitions are data in memory;
 * limits and hints that the schema owns are read from it, so the test follows the schema.
 */
import { describe, expect, it } from 'vitest';
import type { LoadedFile } from '../../generators/definitions/load.ts';
import { checkSchema } from '../../generators/definitions/schema-check.ts';
import { PROJECT_NAME_MAX, ProjectSchema } from '../../generators/schema/project.ts';
import { formatProblem } from '../../generators/util/problem.ts';

const web = { name: 'web', image: 'nginx:1.27' };
const project = (fields: object = {}) => ({ name: 'shop', containers: [web], ...fields });
const cluster = (fields: object = {}) => ({ name: 'dev', domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://github.com/example/devfleet.git' }, ...fields });
const PROJECT_FIELDS = '$schema, name, description, containers, routes, developers, schedule, hostAliases, secrets, swap, aws';
const NAME_HINT = `use lower-case letters, digits and single hyphens, start with a letter and end with a letter or digit (at most ${PROJECT_NAME_MAX} characters), e.g. "my-app"`;
const ENV_NAME_HINT = (ProjectSchema.properties.containers.items.properties.env as unknown as { 'x-key-hint': string })['x-key-hint'];

function loaded(kind: 'project' | 'cluster', value: unknown, lineOf: LoadedFile['lineOf'] = () => undefined): LoadedFile {
  return { kind, file: kind === 'project' ? 'projects/shop.yaml' : 'clusters/dev.yaml', stem: kind === 'project' ? 'shop' : 'dev', value, lineOf };
}

const problems = (kind: 'project' | 'cluster', value: unknown) => checkSchema(loaded(kind, value)).map(formatProblem);

describe('checkSchema', () => {
  it('GIVEN a valid project and a valid cluster WHEN checked THEN there is no problem', () => {
    expect(problems('project', project())).toEqual([]);
    expect(problems('cluster', cluster())).toEqual([]);
  });

  it('GIVEN volume subPaths inside the volume (a folder, a nested folder, a dot file name) WHEN checked THEN there is no problem', () => {
    for (const subPath of ['logs', 'uploads/thumbs', '.cache', 'a..b']) expect(problems('project', project({ containers: [{ ...web, volumes: [{ path: '/logs', subPath }] }] }))).toEqual([]);
  });

  it('GIVEN a route host longer than 40 characters (a 50-character partner domain) WHEN checked THEN it is accepted: the env label made from it is hash-shortened', () => {
    expect(problems('project', project({ routes: [{ host: 'customer-self-service.partner-portal.example.co.jp', port: 'http' }] }))).toEqual([]);
    expect(problems('project', project({ routes: [{ host: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.io`, port: 'http' }] }))).toEqual([]);
  });

  it.each([
    ['an unknown field one typo away (additionalProperties)', 'project', project({ routs: [] }), `projects/shop.yaml: routs: unknown field "routs"; did you mean "routes"? allowed fields here: ${PROJECT_FIELDS}`],
    ['an unknown field like no other', 'project', project({ colour: 'red' }), `projects/shop.yaml: colour: unknown field "colour"; allowed fields here: ${PROJECT_FIELDS}`],
    ['an env name the key pattern refuses', 'project', project({ containers: [{ ...web, env: { '1BAD': 'x' } }] }), `projects/shop.yaml: containers[0].env["1BAD"]: "1BAD" is not a valid name here: ${ENV_NAME_HINT}`],
    ['a missing field (required)', 'project', { name: 'shop' }, 'projects/shop.yaml: containers: is required; add it (a list of objects { name, image, imagePullPolicy, command, args, workingDir, env, ports, resources, volumes, files, readiness, security })'],
    ['a number for a string (type)', 'project', project({ description: 42 }), 'projects/shop.yaml: description: must be a string, got the number 42'],
    ['a fraction for a whole number (type)', 'project', project({ containers: [{ ...web, ports: [{ name: 'http', port: 80.5 }] }] }), 'projects/shop.yaml: containers[0].ports[0].port: must be a whole number, got the number 80.5'],
    ['an object for a list (type)', 'project', project({ containers: { web } }), 'projects/shop.yaml: containers: must be a list, got an object {"web":{"name":"web","image":"nginx:1.27"}}'],
    ['an empty file', 'project', null, 'projects/shop.yaml: (file): is empty; write the project definition in it (required fields: name, containers)'],
    ['a name the pattern refuses (with the schema hint)', 'project', project({ name: 'My_App' }), `projects/shop.yaml: name: "My_App" is not valid: ${NAME_HINT}`],
    ['a relative working directory (pattern)', 'project', project({ containers: [{ ...web, workingDir: 'src' }] }), 'projects/shop.yaml: containers[0].workingDir: "src" is not valid: write an absolute path'],
    ...['../x', 'logs/..', '/var/log', './logs', 'a//b', 'my logs'].map(
      (subPath) =>
        [
          `a volume subPath Kubernetes refuses or that leaves the volume (${JSON.stringify(subPath)})`,
          'project',
          project({ containers: [{ ...web, volumes: [{ path: '/logs', persistent: true, subPath }] }] }),
          `projects/shop.yaml: containers[0].volumes[0].subPath: ${JSON.stringify(subPath)} is not valid: write a relative path inside the volume, e.g. "logs" or "uploads/thumbnails" (no "..", no leading "/")`,
        ] as const,
    ),
    ['a name longer than the limit (maxLength of a name)', 'project', project({ name: 'a'.repeat(PROJECT_NAME_MAX + 1) }), `projects/shop.yaml: name: "${'a'.repeat(PROJECT_NAME_MAX + 1)}" is ${PROJECT_NAME_MAX + 1} characters long; the limit is ${PROJECT_NAME_MAX}. Shorten it`],
    ['a description over 300 characters (maxLength, cut in the message)', 'project', project({ description: 'x'.repeat(301) }), `projects/shop.yaml: description: "${'x'.repeat(50)}..." is 301 characters long; the limit is 300. Shorten it`],
    [
      'a route host longer than DNS allows (maxLength: the reason, and the field that helps)',
      'project',
      project({ routes: [{ host: `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`, port: 'http' }] }),
      `projects/shop.yaml: routes[0].host: "${'a'.repeat(50)}..." is 255 characters long; the limit is 253 (DNS's limit for a host name; the env's own DNS label is made from it and shortened with a hash when long, or chosen with \`subdomain\`). Shorten it`,
    ],
    [
      'a route host with a part over 63 characters (pattern)',
      'project',
      project({ routes: [{ host: `${'a'.repeat(64)}.com`, port: 'http' }] }),
      `projects/shop.yaml: routes[0].host: "${'a'.repeat(50)}..." is not valid: use dot-separated lower-case words, each starting with a letter, no "--", at most 63 characters between dots and 253 in all, e.g. "api.my-app.com"`,
    ],
    ['a port out of range (maximum)', 'project', project({ containers: [{ ...web, ports: [{ name: 'http', port: 70000 }] }] }), 'projects/shop.yaml: containers[0].ports[0].port: 70000 is out of range; use a whole number from 1 to 65535'],
    ['a port of 0 (minimum)', 'project', project({ containers: [{ ...web, ports: [{ name: 'http', port: 0 }] }] }), 'projects/shop.yaml: containers[0].ports[0].port: 0 is out of range; use a whole number from 1 to 65535'],
    ['no container (minItems)', 'project', project({ containers: [] }), 'projects/shop.yaml: containers: needs at least 1 item(s); add one'],
    ['eleven containers (maxItems)', 'project', project({ containers: Array.from({ length: 11 }, (_, i) => ({ name: `c${i}`, image: 'nginx:1.27' })) }), 'projects/shop.yaml: containers: has 11 items; at most 10 are allowed'],
    ['257 env entries (maxProperties)', 'project', project({ containers: [{ ...web, env: Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`V${i}`, 'x'])) }] }), 'projects/shop.yaml: containers[0].env: has too many entries; at most 256 are allowed'],
    ['a developer listed twice (uniqueItems)', 'project', project({ developers: ['alice', 'bob', 'alice'] }), 'projects/shop.yaml: developers: lists "alice" twice (items 0 and 2); remove the duplicate'],
    ['an unknown generator (const)', 'project', project({ secrets: { db: { generate: 'token' } } }), 'projects/shop.yaml: secrets.db.generate: "token" is not allowed; use "password"'],
    ['a value no branch of a union accepts (anyOf)', 'project', project({ developers: 'everyone' }), 'projects/shop.yaml: developers: "everyone" is not accepted; use "all", or a list of strings'],
    ['a protocol outside the enumeration (anyOf of literals)', 'project', project({ containers: [{ ...web, ports: [{ name: 'http', port: 80, protocol: 'SCTP' }] }] }), 'projects/shop.yaml: containers[0].ports[0].protocol: "SCTP" is not accepted; use "TCP", or "UDP"'],
    ['an e-mail address that is none (format)', 'cluster', cluster({ developers: [{ name: 'alice', email: 'not-an-email' }] }), 'clusters/dev.yaml: developers[0].email: "not-an-email" is not valid: write an e-mail address, e.g. "alice@example.com"'],
    ['an empty branch name (minLength)', 'cluster', cluster({ argocd: { repoURL: 'https://github.com/example/devfleet.git', targetRevision: '' } }), 'clusters/dev.yaml: argocd.targetRevision: "" is too short; give at least 1 character(s)'],
  ] as const)('GIVEN %s WHEN checked THEN the problem says exactly what and how to fix it', (_, kind, value, message) => {
    expect(problems(kind, value)).toEqual([message]);
  });

  it('GIVEN a typo inside an object of a union (a secret reference) WHEN checked THEN the object branch speaks: the missing key and the typo, not "not accepted"', () => {
    expect(problems('project', project({ containers: [{ ...web, env: { DB: { secret: 'db', kye: 'password' } } }] }))).toEqual([
      'projects/shop.yaml: containers[0].env.DB.key: is required; add it (a string)',
      'projects/shop.yaml: containers[0].env.DB.kye: unknown field "kye"; did you mean "key"? allowed fields here: secret, key',
    ]);
  });

  it('GIVEN an object of a union of several object shapes (a secret source) WHEN one field is wrong THEN the shape whose fields it uses speaks', () => {
    type Source = { anyOf: { properties: { remoteKey?: { 'x-hint': string } } }[] };
    const [source] = Object.values((ProjectSchema.properties.secrets as unknown as { patternProperties: Record<string, Source> }).patternProperties);
    const hint = source!.anyOf[1]!.properties.remoteKey!['x-hint'];
    expect(problems('project', project({ secrets: { db: { remoteKey: 'devfleet/dev/shop%2Fdb' } } }))).toEqual([`projects/shop.yaml: secrets.db.remoteKey: "devfleet/dev/shop%2Fdb" is not valid: ${hint}`]);
    expect(problems('project', project({ secrets: { db: { generate: 'password', shareWith: ['web'] } } }))).toEqual(['projects/shop.yaml: secrets.db.shareWith: unknown field "shareWith"; allowed fields here: generate, length']);
  });

  it('GIVEN several errors in one file WHEN checked THEN each field gets its own problem', () => {
    expect(problems('project', { name: 'Shop', containers: [{ name: 'web' }], extra: 1 })).toEqual([
      `projects/shop.yaml: extra: unknown field "extra"; allowed fields here: ${PROJECT_FIELDS}`,
      `projects/shop.yaml: name: "Shop" is not valid: ${NAME_HINT}`,
      'projects/shop.yaml: containers[0].image: is required; add it (a string)',
    ]);
  });

  it('GIVEN a source that knows lines WHEN a field is wrong THEN the problem carries the line of that field', () => {
    const lines = new Map([['containers.0.ports.0.port', 12]]);
    const [problem] = checkSchema(loaded('project', project({ containers: [{ ...web, ports: [{ name: 'http', port: 0 }] }] }), (path) => lines.get(path.join('.'))));
    expect(problem).toEqual({ file: 'projects/shop.yaml', path: 'containers[0].ports[0].port', line: 12, message: '0 is out of range; use a whole number from 1 to 65535' });
    expect(formatProblem(problem!)).toBe('projects/shop.yaml: containers[0].ports[0].port: 0 is out of range; use a whole number from 1 to 65535 (line 12)');
  });
});
