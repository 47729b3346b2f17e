/** Reading compose files as Compose does (generators/compose/read-compose.ts): YAML, .env, include, extends, the schema, and hostile input. */
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE_FILE_MAX_BYTES, mergeService, readCompose } from '../../generators/compose/read-compose.ts';
import { DefinitionError, formatProblem } from '../../generators/util/problem.ts';
import { tempRoot } from '../helpers/fixtures.ts';

/** The formatted problems readCompose throws, or [] when it reads. */
function refusal(path: string): string[] {
  try {
    readCompose(path);
    return [];
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    return error.problems.map(formatProblem);
  }
}

const service = (path: string, name: string) => readCompose(path).services.find((s) => s.name === name)?.fields;

describe('readCompose: YAML and interpolation', () => {
  it('GIVEN x- anchors, merge keys and .env variables WHEN read THEN the service has the merged, interpolated fields', () => {
    const root = tempRoot({
      'app/.env': 'TAG=1.27\nPORT=8080\n',
      'app/compose.yaml': [
        'x-common: &common',
        '  restart: always',
        '  environment: { LEVEL: "${LEVEL:-info}", PRICE: "$$5" }',
        'services:',
        '  web:',
        '    <<: *common',
        '    image: nginx:${TAG}',
        '    ports: ["${PORT}:80"]',
      ].join('\n'),
    });
    expect(service(join(root, 'app/compose.yaml'), 'web')).toEqual({ restart: 'always', environment: { LEVEL: 'info', PRICE: '$5' }, image: 'nginx:1.27', ports: ['8080:80'] });
  });

  it('GIVEN .env values that use variables (defaults, ones above, single quotes) WHEN read THEN they are interpolated as Compose does, single-quoted ones kept literal', () => {
    const root = tempRoot({
      'app/.env': "ROOT=/srv/app\nDATA=${ROOT:-/x}/data\nLOGS=${STORAGE:-/mnt/volumes}/logs\nLIT='${ROOT}/lit'\nQUOTED=\"$ROOT/q\"\nLATER=${AFTER}x\nAFTER=1\n",
      'app/compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    environment: [D=$DATA, L=$LOGS, LIT=$LIT, Q=$QUOTED, LATER=$LATER]\n',
    });
    const project = readCompose(join(root, 'app/compose.yaml'));
    expect(project.services[0]!.fields.environment).toEqual(['D=/srv/app/data', 'L=/mnt/volumes/logs', 'LIT=${ROOT}/lit', 'Q=/srv/app/q', 'LATER=x']);
    expect(project.warnings.map(formatProblem)).toEqual([expect.stringMatching(/\.env: LATER: uses variable AFTER, which is not set above it: it became the empty string/)]);
  });

  it('GIVEN an unset variable without default WHEN read THEN it is empty and a warning names its field', () => {
    const root = tempRoot({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    environment:\n      A: $UNSET\n' });
    const project = readCompose(join(root, 'compose.yaml'));
    expect(project.services[0]!.fields.environment).toEqual({ A: '' });
    expect(project.warnings.map(formatProblem)).toEqual([expect.stringMatching(/compose\.yaml: services\.web\.environment\.A: variable UNSET is not set .* \(line 5\)$/)]);
  });

  it('GIVEN ${VAR:?message} unset WHEN read THEN refused at its field and line', () => {
    const root = tempRoot({ 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG:?pin the version}\n' });
    expect(refusal(join(root, 'compose.yaml'))).toEqual([`${join(root, 'compose.yaml')}: services.web.image: variable TAG is required: pin the version; set it in the .env file next to the compose file (line 3)`]);
  });

  it('GIVEN a misspelt field WHEN read THEN the schema refuses it with its line', () => {
    const root = tempRoot({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    enviroment:\n      A: b\n' });
    expect(refusal(join(root, 'compose.yaml'))).toEqual([expect.stringMatching(/: services\.web\.enviroment: is not a field Compose knows; .* \(line 4\)$/)]);
  });

  it('GIVEN broken YAML, a duplicate key, a list at the top WHEN read THEN each is refused with the file', () => {
    const root = tempRoot({ 'a.yaml': 'services:\n  web: [\n', 'b.yaml': 'services:\n  web: {}\n  web: {}\n', 'c.yaml': '- a\n' });
    expect(refusal(join(root, 'a.yaml'))[0]).toMatch(/a\.yaml: \(file\): is not valid YAML: line \d+/);
    expect(refusal(join(root, 'b.yaml'))[0]).toMatch(/b\.yaml: \(file\): is not valid YAML: line 3/);
    expect(refusal(join(root, 'c.yaml'))[0]).toMatch(/top level must be a mapping/);
    expect(refusal(join(root, 'missing.yaml'))[0]).toMatch(/missing\.yaml: \(file\): no such file/);
  });
});

describe('readCompose: include and extends', () => {
  it('GIVEN include of another file and extends across files WHEN read THEN services are joined and the base merged under the service', () => {
    const root = tempRoot({
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  web:\n    extends: { file: base.yaml, service: base }\n    environment: [B=2]\n    command: ["own"]\n',
      'base.yaml': 'services:\n  base:\n    image: nginx:1.27\n    environment: { A: "1", B: "1" }\n    command: ["base"]\n    ports: ["80:80"]\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres:17.2\n',
    });
    const project = readCompose(join(root, 'compose.yaml'));
    expect(project.services.map((s) => s.name)).toEqual(['db', 'web']);
    expect(service(join(root, 'compose.yaml'), 'web')).toEqual({ image: 'nginx:1.27', environment: { A: '1', B: '2' }, command: ['own'], ports: ['80:80'] });
  });

  it('GIVEN extends within the file as a string WHEN read THEN the base applies', () => {
    const root = tempRoot({ 'compose.yaml': 'services:\n  base:\n    image: nginx:1.27\n  web:\n    extends: base\n    ports: ["80:80"]\n' });
    expect(service(join(root, 'compose.yaml'), 'web')).toEqual({ image: 'nginx:1.27', ports: ['80:80'] });
  });

  it('GIVEN cycles in extends and in include WHEN read THEN refused naming the cycle, never looping', () => {
    const root = tempRoot({
      'ext.yaml': 'services:\n  a:\n    extends: b\n    image: x:1\n  b:\n    extends: a\n',
      'inc.yaml': 'include: [other.yaml]\nservices:\n  a:\n    image: x:1\n',
      'other.yaml': 'include: [inc.yaml]\nservices:\n  b:\n    image: x:1\n',
      'self.yaml': 'services:\n  a:\n    extends: { file: self.yaml, service: a }\n    image: x:1\n',
    });
    expect(refusal(join(root, 'ext.yaml')).join('\n')).toMatch(/services\.a\.extends: extends itself through b -> a -> b; remove the cycle \(line 3\)/);
    expect(refusal(join(root, 'inc.yaml')).join('\n')).toMatch(/include\[0\]: includes "inc\.yaml", which includes this file again|includes or extends itself/);
    expect(refusal(join(root, 'self.yaml')).join('\n')).toMatch(/extends itself through a -> a/);
  });

  it('GIVEN the same service in two included files WHEN read THEN refused naming both files', () => {
    const root = tempRoot({ 'compose.yaml': 'include: [a.yaml]\nservices:\n  web:\n    image: x:1\n', 'a.yaml': 'services:\n  web:\n    image: y:1\n' });
    expect(refusal(join(root, 'compose.yaml')).join('\n')).toMatch(/compose\.yaml: services\.web: service "web" is also defined in .*a\.yaml/);
  });

  it('GIVEN include and extends of files outside the compose folder (../, absolute, a symbolic link out) WHEN read THEN refused, nothing outside is read', () => {
    const root = tempRoot({ 'outside.yaml': 'services:\n  evil:\n    image: x:1\n', 'app/compose.yaml': 'include: [../outside.yaml]\nservices:\n  web:\n    image: x:1\n' });
    writeFileSync(join(root, 'app/abs.yaml'), `include: [${join(root, 'outside.yaml')}]\nservices:\n  web:\n    image: x:1\n`);
    symlinkSync(join(root, 'outside.yaml'), join(root, 'app/link.yaml'));
    writeFileSync(join(root, 'app/via-link.yaml'), 'services:\n  web:\n    extends: { file: link.yaml, service: evil }\n');
    expect(refusal(join(root, 'app/compose.yaml')).join('\n')).toMatch(/include\[0\]: leaves the compose file's folder \("\.\.\/outside\.yaml"\)/);
    expect(refusal(join(root, 'app/abs.yaml')).join('\n')).toMatch(/include\[0\]: is a path outside the compose file's folder/);
    expect(refusal(join(root, 'app/via-link.yaml')).join('\n')).toMatch(/services\.web\.extends\.file: leaves the compose file's folder/);
  });

  it('GIVEN a file over the size limit and an alias bomb WHEN read THEN both are refused before they cost memory', () => {
    const big = `services:\n  web:\n    image: x:1\n    environment:\n${'      A: b\n'.repeat(Math.ceil(COMPOSE_FILE_MAX_BYTES / 11) + 1)}`;
    const bomb = ['x-a: &a [1,1,1,1,1,1,1,1,1,1]', 'x-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'x-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'x-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'x-e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'services:', '  web:', '    image: x:1'].join('\n');
    const root = tempRoot({ 'big.yaml': big, 'bomb.yaml': bomb });
    expect(refusal(join(root, 'big.yaml'))[0]).toMatch(/big\.yaml: \(file\): is \d+ bytes, more than the 1048576/);
    expect(refusal(join(root, 'bomb.yaml'))[0]).toMatch(/bomb\.yaml: \(file\): expands to more than 100000 values through its anchors and aliases/i);
    const deeper = [...bomb.split('\n').slice(0, 5), 'x-f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]', ...bomb.split('\n').slice(5)].join('\n');
    writeFileSync(join(root, 'deeper.yaml'), deeper);
    expect(refusal(join(root, 'deeper.yaml'))[0]).toMatch(/deeper\.yaml: \(file\): is not valid YAML: .*aliases/i);
  });

  it('GIVEN a file shaped like getsentry/self-hosted\'s (an anchor of 10 aliases merged into 130 services: 3,407 values) WHEN read THEN it is read, not taken for a bomb', () => {
    const lines = ['x-healthy: &healthy', '  condition: service_healthy', 'x-defaults: &defaults', '  image: sentry:1', '  depends_on:'];
    for (const dependency of ['redis', 'kafka', 'postgres', 'memcached', 'smtp', 'snuba', 'symbolicator', 'clickhouse', 'relay', 'vroom']) lines.push(`    ${dependency}: *healthy`);
    lines.push('services:');
    for (let i = 0; i < 130; i++) lines.push(`  worker-${i}:`, '    <<: *defaults', `    command: [run, worker-${i}]`);
    const root = tempRoot({ 'compose.yaml': lines.join('\n') });
    const services = readCompose(join(root, 'compose.yaml')).services;
    expect(services).toHaveLength(130);
    expect(services[129]!.fields.depends_on).toMatchObject({ vroom: { condition: 'service_healthy' } });
  });
});

describe('mergeService', () => {
  it('GIVEN a base and a service WHEN merged THEN mappings merge (lists of NAME=value too), lists append without repeats, command is replaced', () => {
    expect(mergeService({ environment: ['A=1', 'B=1'], ports: ['80:80'], command: ['a', 'b'], image: 'x:1' }, { environment: { B: '2' }, ports: ['80:80', '443:443'], command: ['c'] })).toEqual({
      environment: { A: '1', B: '2' },
      ports: ['80:80', '443:443'],
      command: ['c'],
      image: 'x:1',
    });
  });
});
