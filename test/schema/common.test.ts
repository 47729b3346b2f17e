/** The name limits (generators/schema/common.ts): said once, and held by every schema field and hand-written text that states them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterSchema } from '../../generators/schema/cluster.ts';
import { CLUSTER_NAME_MAX, DEVELOPER_NAME_MAX, NAMESPACE_PREFIX_MAX, PROJECT_NAME_MAX, ROUTE_LABEL_MAX, WORDS } from '../../generators/schema/common.ts';
import { ENV_NAME_PATTERN, ProjectSchema } from '../../generators/schema/project.ts';
import { REPO } from '../helpers/fixtures.ts';

type Node = { maxLength?: number; properties?: Record<string, Node>; items?: Node; anyOf?: Node[] };
const at = (schema: unknown, ...path: string[]): Node => path.reduce((node: Node, key) => (key === '[]' ? node.items! : key.startsWith('|') ? node.anyOf![Number(key.slice(1))]! : node.properties![key]!), schema as Node);

describe('name limits', () => {
  it('GIVEN the limits WHEN read THEN a developer name fits a GitHub login (39) and a project name 40 characters', () => {
    expect({ DEVELOPER_NAME_MAX, PROJECT_NAME_MAX, CLUSTER_NAME_MAX, ROUTE_LABEL_MAX, NAMESPACE_PREFIX_MAX }).toEqual({
      DEVELOPER_NAME_MAX: 39, PROJECT_NAME_MAX: 40, CLUSTER_NAME_MAX: 20, ROUTE_LABEL_MAX: 40, NAMESPACE_PREFIX_MAX: 10,
    });
  });

  it('GIVEN the schemas WHEN every field holding a developer or project name is read THEN its maxLength is the one limit', () => {
    expect(at(ClusterSchema, 'developers', '[]', 'name').maxLength).toBe(DEVELOPER_NAME_MAX);
    expect(at(ProjectSchema, 'developers', '|1', '[]').maxLength).toBe(DEVELOPER_NAME_MAX);
    expect(at(ProjectSchema, 'name').maxLength).toBe(PROJECT_NAME_MAX);
    expect(at(ClusterSchema, 'name').maxLength).toBe(CLUSTER_NAME_MAX);
    expect(at(ClusterSchema, 'namespacePrefix').maxLength).toBe(NAMESPACE_PREFIX_MAX);
  });

  it('GIVEN the "New project" issue form (hand-written YAML, which cannot import) WHEN read THEN it states the project name limit', () => {
    const form = readFileSync(join(REPO, '.github/ISSUE_TEMPLATE/new-project.yml'), 'utf8');
    expect(form).toContain(`starting with a letter, at most ${PROJECT_NAME_MAX} characters. It is also the file name.`);
  });

  it.each([['alice', true], ['christopher-alexander-montgomery-smith2', true], ['a--b', false], ['-a', false], ['a-', false], ['1a', false], ['Alice', false]])(
    'GIVEN the name %j WHEN matched against WORDS THEN it is %s (no "--": it joins derived names)',
    (name, valid) => {
      expect(new RegExp(WORDS).test(name)).toBe(valid);
    },
  );
});

describe('env variable names (Kubernetes: [-._a-zA-Z][-._a-zA-Z0-9]*, not ".", ".." or "..*")', () => {
  const rule = new RegExp(ENV_NAME_PATTERN);
  it.each(['DB_HOST', 'discovery.type', 'xpack.security.enabled', 'spring.profiles-active', 'Logging__LogLevel__Default', '_JAVA_OPTIONS', '-dash', '.hidden', 'a..b', 'x1'])('GIVEN %j WHEN matched THEN it is valid', (name) => {
    expect(rule.test(name)).toBe(true);
  });
  it.each(['1_BAD', '.', '..', '..data', 'APP$ENV', 'DB HOST', 'A=B', '', 'é'])('GIVEN %j WHEN matched THEN it is refused', (name) => {
    expect(rule.test(name)).toBe(false);
  });
});
