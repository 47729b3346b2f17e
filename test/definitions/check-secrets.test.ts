/**
 * generators/definitions/check-secrets.ts through `devfleet validate` and `synth`: a Secret two
 * projects would both make in one developer's namespace is refused with one problem line (the
 * exact line is held here), and nothing is written.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO, tempRoot } from '../helpers/fixtures.ts';
import { C, expectRefused, expectValid, S, SHOP, W, WEB, type BadInputCase, type Defs } from '../helpers/bad-input.ts';

/** A second cluster, "ops", whose only developer is olga. */
const opsCluster = (d: Defs) => (d['clusters/ops.yaml'] = { ...structuredClone(C(d)), name: 'ops', domain: 'ops.example.com', developers: [{ name: 'olga' }] });

const cases: (BadInputCase & { start?: (d: Defs) => void; exact: string })[] = [
  {
    given: 'a Secret that project shop declares (generated) and project web reads from Secrets Manager, both with envs of alice and bob',
    defect: (d) => {
      S(d).containers[0].env = { DB_PASSWORD: { secret: 'web-db', key: 'password' } };
      S(d).secrets = { 'web-db': { generate: 'password' } };
    },
    file: SHOP,
    path: 'secrets["web-db"]',
    says: ['Secret "web-db" is also a Secret of project "web" (projects/web.yaml)', 'namespaces dev-alice, dev-bob', 'rename the Secret in this project, e.g. to "shop-web-db"'],
    exact:
      'projects/shop.ts: secrets["web-db"]: Secret "web-db" is also a Secret of project "web" (projects/web.yaml), and both projects have envs of developers alice, bob in cluster "dev" (namespaces dev-alice, dev-bob): each env makes the ExternalSecret and Secret "web-db" in its namespace, so two Argo CD Applications (such as shop--alice and web--alice) would own the same objects and undo each other\'s syncs (SharedResourceWarning); rename the Secret in this project, e.g. to "shop-web-db" (in secrets and in every { secret, key } that reads it)',
  },
  {
    given: 'a generated Secret "db" in both projects, which share only bob (YAML: reported at the later project, web)',
    defect: (d) => {
      W(d).containers[1].env.DB_PASSWORD = { secret: 'db', key: 'password' };
      W(d).secrets = { db: { generate: 'password' } };
      S(d).developers = ['bob', 'carol'];
      S(d).containers[0].env = { DB_PASSWORD: { secret: 'db', key: 'password' } };
      S(d).secrets = { db: { generate: 'password', length: 40 } };
    },
    file: WEB,
    path: 'secrets.db',
    says: ['Secret "db" is also a Secret of project "shop" (projects/shop.ts)', 'developer bob', 'namespace dev-bob', 'Password generator'],
    lineOf: 'generate: password',
    exact:
      'projects/web.yaml: secrets.db: Secret "db" is also a Secret of project "shop" (projects/shop.ts), and both projects have envs of developer bob in cluster "dev" (namespace dev-bob): each env makes the ExternalSecret, Password generator and Secret "db" in its namespace, so two Argo CD Applications (such as web--bob and shop--bob) would own the same objects and undo each other\'s syncs (SharedResourceWarning); rename the Secret in this project, e.g. to "web-db" (in secrets and in every { secret, key } that reads it) (line 44)',
  },
  {
    given: 'a Secret both projects only read, declared by neither (both from Secrets Manager, each under its own project)',
    defect: (d) => (S(d).containers[0].env = { TOKEN: { secret: 'web-db', key: 'token' } }),
    file: SHOP,
    path: 'containers[0].env.TOKEN.secret',
    says: ['Secret "web-db" is also a Secret of project "web"', 'the ExternalSecret and Secret "web-db"', '(in every { secret, key } that reads it)'],
    exact:
      'projects/shop.ts: containers[0].env.TOKEN.secret: Secret "web-db" is also a Secret of project "web" (projects/web.yaml), and both projects have envs of developers alice, bob in cluster "dev" (namespaces dev-alice, dev-bob): each env makes the ExternalSecret and Secret "web-db" in its namespace, so two Argo CD Applications (such as shop--alice and web--alice) would own the same objects and undo each other\'s syncs (SharedResourceWarning); rename the Secret in this project, e.g. to "shop-web-db" (in every { secret, key } that reads it)',
  },
];

describe('Secrets a project may declare and read', () => {
  it.each([
    ['the same Secret name in two projects without a common developer', (d: Defs) => {
      S(d).developers = ['carol'];
      S(d).secrets = { 'web-db': { generate: 'password' } };
    }],
    ['the same Secret name in two projects whose envs are in different clusters', (d: Defs) => {
      opsCluster(d);
      S(d).developers = ['olga'];
      S(d).containers[0].env = { DB_PASSWORD: { secret: 'web-db', key: 'password' } };
    }],
  ])('GIVEN %s WHEN validated THEN it is valid (control)', async (_, edit) => {
    await expectValid(edit);
  });

  const copyOf = (set: string) => () => {
    const root = tempRoot();
    cpSync(join(REPO, set), root, { recursive: true });
    return root;
  };
  it.each<[string, () => string]>([
    ['the bundled examples', () => copyOfExamples()],
    ['examples/article-2019', copyOf('examples/article-2019')],
    ['test/fixtures/fleet-unseen', copyOf('test/fixtures/fleet-unseen')],
    ['test/fixtures/fleet-long-names', copyOf('test/fixtures/fleet-long-names')],
  ])('GIVEN %s WHEN validated THEN no Secret is shared', async (_, makeRoot) => {
    const result = await runCli('validate', '--root', makeRoot());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 with the exact problem line, and nothing is written', async (_, c) => {
    const result = await expectRefused(c, c.start);
    expect(result.stderr.split('\n')[0]).toBe(c.exact);
  });
});
