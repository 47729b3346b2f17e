/**
 * generators/definitions/check-secrets.ts through `devfleet validate` and `synth`: a Secret two
 * projects would both make in one developer's namespace, a Secret with the platform's name prefix,
 * and a remoteKey of the platform's secrets are refused with one problem line each (the exact
 * line is held here), and nothing is written.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, REPO, tempRoot } from '../helpers/fixtures.ts';
import { C, expectRefused, expectValid, S, SHOP, W, WEB, type BadInputCase, type Defs } from '../helpers/bad-input.ts';

/** A second cluster, "ops", whose only developer is olga. */
const opsCluster = (d: Defs) => (d['clusters/ops.yaml'] = { ...structuredClone(C(d)), name: 'ops', domain: 'ops.example.com', developers: [{ name: 'olga' }] });

const RESERVED_NAME = (secret: string, suggestion: string, where: string) =>
  `Secret "${secret}" starts with "devfleet-", which is reserved for the platform's own objects in developer namespaces (such as the Secret "devfleet-alb-oidc", the load balancer's OIDC client): every env of this project would get an ExternalSecret and a Secret of this name, which could replace a platform Secret or hand its value to the containers; rename the Secret, e.g. to "${suggestion}" (${where})`;

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
  {
    given: 'a project reading the platform\'s OIDC client Secret "devfleet-alb-oidc" (YAML, not declared)',
    defect: (d) => (W(d).containers[1].env.DB_PASSWORD = { secret: 'devfleet-alb-oidc', key: 'clientSecret' }),
    file: WEB,
    path: 'containers[1].env.DB_PASSWORD.secret',
    says: ['Secret "devfleet-alb-oidc" starts with "devfleet-"', 'e.g. to "web-alb-oidc"'],
    lineOf: 'devfleet-alb-oidc',
    exact: `projects/web.yaml: containers[1].env.DB_PASSWORD.secret: ${RESERVED_NAME('devfleet-alb-oidc', 'web-alb-oidc', 'in every { secret, key } that reads it')} (line 21)`,
  },
  {
    given: 'a project declaring a generated Secret named "devfleet-db" (TypeScript)',
    defect: (d) => (S(d).secrets = { 'devfleet-db': { generate: 'password' } }),
    file: SHOP,
    path: 'secrets["devfleet-db"]',
    says: ['Secret "devfleet-db" starts with "devfleet-"', 'e.g. to "shop-db"'],
    exact: `projects/shop.ts: secrets["devfleet-db"]: ${RESERVED_NAME('devfleet-db', 'shop-db', 'in secrets and in every { secret, key } that reads it')}`,
  },
  {
    given: 'a remoteKey naming the cluster\'s OIDC client secret "devfleet/dev/sso-oidc"',
    defect: (d) => (W(d).secrets = { 'web-db': { remoteKey: 'devfleet/dev/sso-oidc' } }),
    file: WEB,
    path: 'secrets["web-db"].remoteKey',
    says: ['"devfleet/dev/sso-oidc" is the load balancer\'s OIDC client secret of cluster "dev"', 'drop remoteKey'],
    lineOf: 'remoteKey',
    exact:
      'projects/web.yaml: secrets["web-db"].remoteKey: "devfleet/dev/sso-oidc" is the load balancer\'s OIDC client secret of cluster "dev"; names directly under "devfleet/dev/" are reserved for the platform\'s secrets, which External Secrets may read, so every env of this project would receive a platform secret; drop remoteKey to read "devfleet/dev/web/web-db" (the default), or name another key under "devfleet/dev/web/" (line 44)',
  },
  {
    given: 'a remoteKey directly under the cluster\'s prefix (one segment, the platform\'s part of "devfleet/dev/")',
    defect: (d) => {
      S(d).containers[0].env = { GITHUB_KEY: { secret: 'shop-github', key: 'private-key' } };
      S(d).secrets = { 'shop-github': { remoteKey: 'devfleet/dev/github-app' } };
    },
    file: SHOP,
    path: 'secrets["shop-github"].remoteKey',
    says: ['"devfleet/dev/github-app" is directly under "devfleet/dev/"'],
    exact:
      'projects/shop.ts: secrets["shop-github"].remoteKey: "devfleet/dev/github-app" is directly under "devfleet/dev/", where names are reserved for the platform\'s secrets (such as "devfleet/dev/sso-oidc", the load balancer\'s OIDC client secret), which External Secrets may read, so every env of this project would receive a platform secret; drop remoteKey to read "devfleet/dev/shop/shop-github" (the default), or name another key under "devfleet/dev/shop/"',
  },
  {
    given: 'a remoteKey naming the OIDC client secret of the fleet\'s other cluster, ops',
    start: opsCluster,
    defect: (d) => (S(d).secrets = { 'shop-oidc': { remoteKey: 'devfleet/ops/sso-oidc' } }),
    file: SHOP,
    path: 'secrets["shop-oidc"].remoteKey',
    says: ['"devfleet/ops/sso-oidc" is the load balancer\'s OIDC client secret of cluster "ops"'],
    exact:
      'projects/shop.ts: secrets["shop-oidc"].remoteKey: "devfleet/ops/sso-oidc" is the load balancer\'s OIDC client secret of cluster "ops"; names directly under "devfleet/ops/" are reserved for the platform\'s secrets, which External Secrets may read, so every env of this project would receive a platform secret; drop remoteKey to read "devfleet/ops/shop/shop-oidc" (the default), or name another key under "devfleet/ops/shop/"',
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
    ['remoteKeys of the project\'s own and of another project\'s secrets (two segments under the prefix)', (d: Defs) => {
      W(d).secrets = { 'web-db': { remoteKey: 'devfleet/dev/web/database' } };
      S(d).secrets = { 'shop-stripe': { remoteKey: 'devfleet/dev/payments/stripe' } };
    }],
    ['Secret names that contain "devfleet" without starting with "devfleet-"', (d: Defs) => {
      W(d).containers[1].env.DB_PASSWORD = { secret: 'web-devfleet-db', key: 'password' };
      S(d).secrets = { devfleet: { generate: 'password' } };
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
  ])('GIVEN %s WHEN validated THEN no Secret is shared or reserved', async (_, makeRoot) => {
    const result = await runCli('validate', '--root', makeRoot());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 with the exact problem line, and nothing is written', async (_, c) => {
    const result = await expectRefused(c, c.start);
    expect(result.stderr.split('\n')[0]).toBe(c.exact);
  });
});
