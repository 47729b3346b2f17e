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

const cases: (BadInputCase & { start?: (d: Defs) => void; exact?: string })[] = [
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
    // the line of the key `db:`, not of the map under it
    lineOf: '  db:',
    exact:
      'projects/web.yaml: secrets.db: Secret "db" is also a Secret of project "shop" (projects/shop.ts), and both projects have envs of developer bob in cluster "dev" (namespace dev-bob): each env makes the ExternalSecret, Password generator and Secret "db" in its namespace, so two Argo CD Applications (such as web--bob and shop--bob) would own the same objects and undo each other\'s syncs (SharedResourceWarning); rename the Secret in this project, e.g. to "web-db" (in secrets and in every { secret, key } that reads it) (line 43)',
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
  // Secrets Manager names stay with their project (checkSecretOwners, checkSecretShares).
  {
    given: 'a remoteKey naming another project\'s secret, which that project does not share (the issue\'s reproduction)',
    defect: (d) => (W(d).secrets = { 'web-stripe': { remoteKey: 'devfleet/dev/shop/shop-stripe' } }),
    file: WEB,
    path: 'secrets["web-stripe"].remoteKey',
    says: ['the prefix of project "shop" (projects/shop.ts), which does not share it with this project', 'declare secrets["shop-stripe"]: { shareWith: ["web"] } in projects/shop.ts'],
    lineOf: 'remoteKey',
    exact:
      'projects/web.yaml: secrets["web-stripe"].remoteKey: "devfleet/dev/shop/shop-stripe" is under "devfleet/dev/shop/", the prefix of project "shop" (projects/shop.ts), which does not share it with this project: a project reads only keys under its own prefix "devfleet/dev/web/" and keys another project shares with it (External Secrets reads the secrets of every project under "devfleet/dev/" for every namespace, so this check is what keeps a project\'s secrets its own); store the secret under "devfleet/dev/web/" instead, or have shop share it: declare secrets["shop-stripe"]: { shareWith: ["web"] } in projects/shop.ts (line 44)',
  },
  {
    given: 'a remoteKey naming another project\'s secret that it shares with someone else',
    defect: (d) => {
      d['projects/tiny.yaml'] = { name: 'tiny', containers: [{ name: 'app', image: 'ghcr.io/acme/tiny:1.0' }], developers: ['carol'] };
      S(d).secrets = { 'shop-stripe': { remoteKey: 'devfleet/dev/shop/stripe/live', shareWith: ['tiny'] } };
      W(d).secrets = { 'web-stripe': { remoteKey: 'devfleet/dev/shop/stripe/live' } };
    },
    file: WEB,
    path: 'secrets["web-stripe"].remoteKey',
    says: ['which does not share it with this project', 'add "web" to secrets["shop-stripe"].shareWith in projects/shop.ts'],
  },
  {
    given: 'a remoteKey naming a key another project declares but shares with nobody',
    defect: (d) => {
      S(d).secrets = { 'shop-stripe': { remoteKey: 'devfleet/dev/shop/stripe/live' } };
      W(d).secrets = { 'web-stripe': { remoteKey: 'devfleet/dev/shop/stripe/live' } };
    },
    file: WEB,
    path: 'secrets["web-stripe"].remoteKey',
    says: ['set secrets["shop-stripe"].shareWith: ["web"] in projects/shop.ts'],
  },
  {
    given: 'a remoteKey naming a deeper key of another project that it does not declare',
    defect: (d) => (W(d).secrets = { 'web-stripe': { remoteKey: 'devfleet/dev/shop/stripe/live' } }),
    file: WEB,
    path: 'secrets["web-stripe"].remoteKey',
    says: ['declare a secret in projects/shop.ts with remoteKey: "devfleet/dev/shop/stripe/live" and shareWith: ["web"]'],
  },
  {
    given: 'a ".." segment that reads like the project\'s own prefix and names another project\'s key (devfleet/dev/web/../shop/x)',
    defect: (d) => (W(d).secrets = { 'web-stripe': { remoteKey: 'devfleet/dev/web/../shop/shop-stripe' } }),
    file: WEB,
    path: 'secrets["web-stripe"].remoteKey',
    says: ['has a ".." segment', 'nothing resolves "." or ".."'],
    exact:
      'projects/web.yaml: secrets["web-stripe"].remoteKey: "devfleet/dev/web/../shop/shop-stripe" has a ".." segment: Secrets Manager names are plain text, "/" is an ordinary character and nothing resolves "." or "..", so the name is not the path it looks like (and IAM matches it letter by letter); write every segment out, e.g. a key under "devfleet/<cluster>/web/", or drop remoteKey to read "devfleet/<cluster>/web/web-stripe" (the default) (line 44)',
  },
  {
    given: 'a ".." segment under the project\'s own prefix (devfleet/dev/shop/../other/x, as the project shop)',
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev/shop/../other/x' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['has a ".." segment'],
  },
  {
    given: 'a "." segment',
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev/./shop/x' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['has a "." segment'],
  },
  {
    given: 'a trailing slash (devfleet/dev/shop/)',
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev/shop/' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['has an empty segment ("//", or a leading or trailing "/")'],
  },
  {
    given: 'a double slash after the cluster\'s prefix (devfleet/dev//shop/x)',
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev//shop/x' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['has an empty segment'],
  },
  {
    given: 'a double slash inside the project\'s own prefix (devfleet/dev/shop//x)',
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev/shop//x' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['has an empty segment'],
  },
  {
    given: 'a URL-encoded slash (devfleet/dev/shop%2F..%2Fweb/x)',
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev/shop%2F..%2Fweb/x' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['"devfleet/dev/shop%2F..%2Fweb/x" is not valid'],
  },
  {
    given: 'a key under a prefix that starts with the project\'s name (devfleet/dev/shop-extra/, no such project)',
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev/shop-extra/x' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['"devfleet/dev/shop-extra/", the prefix of a project "shop-extra", and there is no such project', 'name a key under "devfleet/dev/shop/", or drop remoteKey to read "devfleet/dev/shop/shop-x" (the default)'],
  },
  {
    given: 'a key of project shop-admin read by project shop (a name that is a prefix of the other)',
    defect: (d) => {
      d['projects/shop-admin.yaml'] = { name: 'shop-admin', containers: [{ name: 'app', image: 'ghcr.io/acme/admin:1.0' }], developers: ['carol'] };
      S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev/shop-admin/x' } };
    },
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['the prefix of project "shop-admin" (projects/shop-admin.yaml), which does not share it with this project'],
  },
  {
    given: 'a key of project shop read by project shop-admin',
    defect: (d) => {
      d['projects/shop-admin.yaml'] = { name: 'shop-admin', containers: [{ name: 'app', image: 'ghcr.io/acme/admin:1.0' }], developers: ['carol'], secrets: { 'admin-x': { remoteKey: 'devfleet/dev/shop/x' } } };
    },
    file: 'projects/shop-admin.yaml',
    path: 'secrets["admin-x"].remoteKey',
    says: ['the prefix of project "shop" (projects/shop.ts), which does not share it with this project', 'a project reads only keys under its own prefix "devfleet/dev/shop-admin/"'],
  },
  {
    given: 'the project\'s own prefix in another case (devfleet/dev/Shop/x)',
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev/Shop/x' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['the prefix of a project "Shop", and there is no such project', 'did you mean "shop"?'],
  },
  {
    given: 'the cluster\'s prefix in another case (Devfleet/dev/shop/x)',
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'Devfleet/dev/shop/x' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['"Devfleet/dev/shop/x" is not under "devfleet/dev/"'],
  },
  {
    given: 'a remoteKey outside the cluster\'s prefix altogether (refused by IAM at sync time)',
    defect: (d) => (W(d).secrets = { 'web-db': { remoteKey: 'shared/payments' } }),
    file: WEB,
    path: 'secrets["web-db"].remoteKey',
    says: ['is not under "devfleet/dev/"', 'fail at sync with AccessDenied'],
    lineOf: 'remoteKey',
    exact:
      'projects/web.yaml: secrets["web-db"].remoteKey: "shared/payments" is not under "devfleet/dev/", and this project has envs in cluster "dev", whose External Secrets may read only names under "devfleet/dev/" (its IAM policy, terraform/modules/platform/external-secrets.tf): the ExternalSecret would fail at sync with AccessDenied; name a key under "devfleet/dev/web/", or drop remoteKey to read "devfleet/dev/web/web-db" (the default), which follows each cluster (line 44)',
  },
  {
    given: 'a remoteKey under another cluster\'s prefix, for a project with envs in dev only',
    start: opsCluster,
    defect: (d) => (W(d).secrets = { 'web-db': { remoteKey: 'devfleet/ops/web/web-db' } }),
    file: WEB,
    path: 'secrets["web-db"].remoteKey',
    says: ['"devfleet/ops/web/web-db" is not under "devfleet/dev/" but under "devfleet/ops/", cluster "ops"\'s prefix, and this project has envs in cluster "dev"'],
  },
  {
    given: 'a remoteKey under the dev prefix, for a project with envs in dev and ops',
    start: opsCluster,
    defect: (d) => (S(d).secrets = { 'shop-x': { remoteKey: 'devfleet/dev/shop/x' } }),
    file: SHOP,
    path: 'secrets["shop-x"].remoteKey',
    says: ['"devfleet/dev/shop/x" is not under "devfleet/ops/" but under "devfleet/dev/", cluster "dev"\'s prefix, and this project has envs in cluster "ops"', 'drop remoteKey to read "devfleet/ops/shop/shop-x" (the default), which follows each cluster'],
  },
  {
    given: 'shareWith naming a project that does not exist',
    defect: (d) => (S(d).secrets = { 'shop-stripe': { shareWith: ['wbe'] } }),
    file: SHOP,
    path: 'secrets["shop-stripe"].shareWith[0]',
    says: ['"wbe" is not a project of this fleet', 'did you mean "web"?'],
    exact: 'projects/shop.ts: secrets["shop-stripe"].shareWith[0]: "wbe" is not a project of this fleet (projects/), so nothing can be shared with it; did you mean "web"? name an existing project, or remove it',
  },
  {
    given: 'shareWith naming the project itself',
    defect: (d) => (W(d).secrets = { 'web-db': { shareWith: ['shop', 'web'] } }),
    file: WEB,
    path: 'secrets["web-db"].shareWith[1]',
    says: ['"web" is this project itself'],
    lineOf: '- web',
  },
  {
    given: 'sharing the platform\'s OIDC client secret (remoteKey devfleet/dev/sso-oidc with shareWith)',
    defect: (d) => (S(d).secrets = { 'shop-oidc': { remoteKey: 'devfleet/dev/sso-oidc', shareWith: ['web'] } }),
    file: SHOP,
    path: 'secrets["shop-oidc"].remoteKey',
    says: ['"devfleet/dev/sso-oidc" is the load balancer\'s OIDC client secret of cluster "dev"'],
  },
  {
    given: 'shareWith on a key that another project shares with this one (only the owner shares)',
    defect: (d) => {
      d['projects/tiny.yaml'] = { name: 'tiny', containers: [{ name: 'app', image: 'ghcr.io/acme/tiny:1.0' }], developers: ['carol'] };
      S(d).secrets = { 'shop-stripe': { shareWith: ['web'] } };
      W(d).secrets = { 'web-stripe': { remoteKey: 'devfleet/dev/shop/shop-stripe', shareWith: ['tiny'] } };
    },
    file: WEB,
    path: 'secrets["web-stripe"].shareWith',
    says: ['belongs to project "shop" (projects/shop.ts), which shares it with this project; only the owner shares a key', 'have shop add "tiny" to its own shareWith'],
  },
  {
    given: 'generate: password with shareWith (a generated password is made in each env, nothing to share)',
    defect: (d) => (S(d).secrets = { 'shop-db': { generate: 'password', shareWith: ['web'] } }),
    file: SHOP,
    path: 'secrets["shop-db"].shareWith',
    says: ['unknown field "shareWith"'],
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
    ['remoteKeys under each project\'s own prefix (two and three segments under the cluster\'s)', (d: Defs) => {
      W(d).secrets = { 'web-db': { remoteKey: 'devfleet/dev/web/database' } };
      S(d).secrets = { 'shop-stripe': { remoteKey: 'devfleet/dev/shop/stripe/live' } };
    }],
    ['a secret under the owner\'s convention, shared with web (shareWith), which reads it by its remoteKey', (d: Defs) => {
      S(d).secrets = { 'shop-stripe': { shareWith: ['web'] } };
      W(d).secrets = { 'web-stripe': { remoteKey: 'devfleet/dev/shop/shop-stripe' } };
    }],
    ['a secret with its own remoteKey, shared with web, which reads it', (d: Defs) => {
      S(d).secrets = { 'shop-stripe': { remoteKey: 'devfleet/dev/shop/stripe/live', shareWith: ['web'] } };
      W(d).containers[1].env.STRIPE_KEY = { secret: 'web-stripe', key: 'key' };
      W(d).secrets = { 'web-stripe': { remoteKey: 'devfleet/dev/shop/stripe/live' } };
    }],
    ['a secret declared as {} (read from Secrets Manager by the convention, like an undeclared one)', (d: Defs) => {
      W(d).secrets = { 'web-db': {} };
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
    if (c.exact !== undefined) expect(result.stderr.split('\n')[0]).toBe(c.exact);
  });
});
