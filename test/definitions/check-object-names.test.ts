/**
 * generators/definitions/check-object-names.ts through `devfleet validate` and `synth`: two envs of
 * one namespace, or two volumes of one Pod, that derive one kind/name are refused with one problem
 * line at the definition that should change (the exact line is held here), and nothing is written.
 * Issue 17's reproductions are definition sets under test/fixtures/names-*; the rest start from
 * the bad-input baseline (test/helpers/bad-input.ts).
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { REPO, snapshotTree, tempRoot } from '../helpers/fixtures.ts';
import { baseline, expectRefused, expectValid, render as renderFiles, S, SHOP, W, WEB, type BadInputCase, type Defs } from '../helpers/bad-input.ts';

const copyOf = (fixture: string) => {
  const root = tempRoot();
  cpSync(join(REPO, 'test/fixtures', fixture), root, { recursive: true });
  return root;
};

const VOLUME_FIX = (how: string, example: string, persistent = true) =>
  `${how}, e.g. name: "${example}", or rename the container (${persistent ? 'the claim is named "<project>-<container>-<volume>" and the Pod volume "<container>-<volume>"' : 'the Pod volume is named "<container>-<volume>"'}; hyphens inside the parts make such meetings possible)`;

describe('issue 17 reproductions (test/fixtures/names-*)', () => {
  it('GIVEN project "my" whose container "app-mysql" keeps /var/lib/mysql, next to project "my-app" and its container "mysql" (test/fixtures/names-shared-claim) WHEN validated and synthesised THEN both refuse, at my\'s volume, naming my-app\'s, and write nothing', async () => {
    const root = copyOf('names-shared-claim');
    const before = snapshotTree(root);
    const validate = await runCli('validate', '--root', root);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toBe(
      [
        `projects/my.ts: containers[0].volumes[0].path: "my-app-mysql-mysql" (PersistentVolumeClaim) collides with projects/my-app.yaml: containers[1].volumes[0].path in namespace dev-alice (and dev-bob) of cluster dev: both envs would mount one volume and read and write each other's data; ${VOLUME_FIX('give this volume a `name` of its own', 'mysql2')}`,
        'devfleet: 1 problem(s) in 1 file(s); nothing was written',
      ].join('\n'),
    );
    const synth = await runCli('synth', '--root', root);
    expect(synth.code).toBe(1);
    expect(synth.stderr).toBe(validate.stderr);
    expect(snapshotTree(root)).toEqual(before);
    expect(existsSync(join(root, 'clusters', 'dev'))).toBe(false);
  });

  it('GIVEN the same set with the fix the problem names (my\'s volume named "mysql2") WHEN validated and rendered THEN it is valid, my-app keeps its claim and my gets its own', async () => {
    const root = copyOf('names-shared-claim');
    const file = join(root, 'projects/my.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("path: '/var/lib/mysql',", "path: '/var/lib/mysql', name: 'mysql2',"));
    const validate = await runCli('validate', '--root', root);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const render = await runCli('render', '--root', root, '--cluster', 'dev', '--env', 'alice/my-app');
    expect(render.stdout).toMatch(/claimName: "?my-app-mysql-mysql"?\n/);
    const mine = await runCli('render', '--root', root, '--cluster', 'dev', '--env', 'alice/my');
    expect(mine.stdout).toMatch(/claimName: "?my-app-mysql-mysql2"?\n/);
  });

  it('GIVEN one project with container "b-c" + volume "d" and container "b" + volume "c-d" (test/fixtures/names-pod-volumes) WHEN validated THEN it is refused at the second volume, for its claim and its Pod volume in one line', async () => {
    const root = copyOf('names-pod-volumes');
    const validate = await runCli('validate', '--root', root);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toBe(
      [
        `projects/pair.yaml: containers[1].volumes[0].name: "pair-b-c-d" (PersistentVolumeClaim) collides with projects/pair.yaml: containers[0].volumes[0].path, as "b-c-d" (Pod volume) does, in every env of this project (its namespace and its Pod); each name must have one owner; ${VOLUME_FIX('change this volume\'s `name`', 'c-d2')} (line 12)`,
        'devfleet: 1 problem(s) in 1 file(s); nothing was written',
      ].join('\n'),
    );
  });
});

/** Project web-api (all developers) whose container "db" keeps /data: its claim "web-api-db-data" is web's once web's container "api" is "api-db". */
const webApi = (d: Defs, developers?: string[]) => {
  W(d).containers[1].name = 'api-db';
  W(d).swap = { container: 'api-db' };
  d['projects/web-api.yaml'] = {
    name: 'web-api',
    containers: [{ name: 'db', image: 'postgres:17', volumes: [{ path: '/data', persistent: true, size: '1Gi' }] }],
    ...(developers ? { developers } : {}),
  };
};

const cases: (BadInputCase & { exact: string })[] = [
  {
    given: 'project web (container "api-db", volume "/data") and project web-api (container "db", volume "/data"), both with envs of alice and bob: one claim "web-api-db-data"',
    defect: (d) => webApi(d),
    file: WEB,
    path: 'containers[1].volumes[0].path',
    says: ['"web-api-db-data" (PersistentVolumeClaim) collides with projects/web-api.yaml: containers[0].volumes[0].path in namespace dev-alice (and dev-bob) of cluster dev'],
    lineOf: 'path: /data',
    exact: `projects/web.yaml: containers[1].volumes[0].path: "web-api-db-data" (PersistentVolumeClaim) collides with projects/web-api.yaml: containers[0].volumes[0].path in namespace dev-alice (and dev-bob) of cluster dev: both envs would mount one volume and read and write each other's data; ${VOLUME_FIX('give this volume a `name` of its own', 'data2')}`,
  },
  {
    given: 'two volumes of one Pod, an emptyDir of container "api-data" (/var/cache/nginx) and a PVC of container "api" named "data-nginx": one Pod volume "api-data-nginx"',
    defect: (d) => {
      W(d).containers[0].name = 'api-data';
      W(d).containers[1].volumes[0].name = 'data-nginx';
    },
    file: WEB,
    path: 'containers[1].volumes[0].name',
    says: ['"api-data-nginx" (Pod volume) collides with projects/web.yaml: containers[0].volumes[0].path'],
    lineOf: 'name: data-nginx',
    exact: `projects/web.yaml: containers[1].volumes[0].name: "api-data-nginx" (Pod volume) collides with projects/web.yaml: containers[0].volumes[0].path, in every env of this project (its namespace and its Pod); each name must have one owner; ${VOLUME_FIX('change this volume\'s `name`', 'data-nginx2')}`,
  },
  {
    given: 'a project named "devfleet" with a route and a persistent volume, whose InterceptorRoute and claim take "devfleet-*" names',
    defect: (d) => {
      d['projects/devfleet.yaml'] = {
        ...structuredClone(S(d)),
        name: 'devfleet',
        routes: [{ host: 'devfleet.com', port: 'http' }],
        containers: [{ ...structuredClone(S(d).containers[0]), volumes: [{ path: '/data', persistent: true, size: '1Gi' }] }],
      };
    },
    file: 'projects/devfleet.yaml',
    path: 'name',
    says: ['"devfleet-app-data" (PersistentVolumeClaim) collides with clusters/dev.yaml: the platform\'s own objects in namespace dev-alice (and dev-bob, dev-carol)', 'rename the project'],
    lineOf: 'name: devfleet',
    exact:
      'projects/devfleet.yaml: name: "devfleet-app-data" (PersistentVolumeClaim) collides with clusters/dev.yaml: the platform\'s own objects in namespace dev-alice (and dev-bob, dev-carol) of cluster dev, as "devfleet--http" (InterceptorRoute) does: names "devfleet-*" are kept for the namespace\'s NetworkPolicies, RBAC, sleep/wake jobs and Secrets, which an env\'s object could replace; rename the project (and its file)',
  },
  {
    given: 'a claimName on web\'s nginx volume (made persistent) that names the claim of web\'s api volume, "web-api-data"',
    defect: (d) => (W(d).containers[0].volumes = [{ path: '/var/cache/nginx', persistent: true, size: '1Gi', claimName: 'web-api-data' }]),
    file: WEB,
    path: 'containers[0].volumes[0].claimName',
    says: ['"web-api-data" (PersistentVolumeClaim) collides with projects/web.yaml: containers[1].volumes[0].path', 'choose another `claimName`'],
    lineOf: 'claimName: web-api-data',
    exact:
      'projects/web.yaml: containers[0].volumes[0].claimName: "web-api-data" (PersistentVolumeClaim) collides with projects/web.yaml: containers[1].volumes[0].path, in every env of this project (its namespace and its Pod); each name must have one owner; choose another `claimName` (it names the PVC the volume mounts; a claim of its own per volume and namespace)',
  },
  {
    given: 'a claimName naming another project\'s claim that project shop could never derive (web\'s, e.g. kept after web was removed)',
    defect: (d) => {
      S(d).developers = ['carol'];
      S(d).containers[0].volumes = [{ path: '/data', persistent: true, size: '1Gi', claimName: 'web-api-data' }];
    },
    file: SHOP,
    path: 'containers[0].volumes[0].claimName',
    says: ['"web-api-data" does not start with "shop-"'],
    exact:
      'projects/shop.ts: containers[0].volumes[0].claimName: "web-api-data" does not start with "shop-": a project mounts only claims of its own (another project\'s claim, even one kept after it was removed, holds that project\'s data); name a claim of this project, e.g. "shop-app-data"',
  },
  {
    given: 'a claimName on an emptyDir volume',
    defect: (d) => (W(d).containers[0].volumes[0].claimName = 'web-nginx-cache'),
    file: WEB,
    path: 'containers[0].volumes[0].claimName',
    says: ['"web-nginx-cache" names a PVC, but this volume is not persistent', 'set `persistent: true` or drop claimName'],
    lineOf: 'claimName: web-nginx-cache',
    exact: 'projects/web.yaml: containers[0].volumes[0].claimName: "web-nginx-cache" names a PVC, but this volume is not persistent (an emptyDir has no claim); set `persistent: true` or drop claimName',
  },
  {
    given: 'web\'s nginx and api sharing claim "web-data" (one claimName on a persistent volume of each) with sizes 1Gi and 2Gi',
    defect: (d) => {
      W(d).containers[0].volumes = [{ path: '/srv/data', persistent: true, size: '1Gi', claimName: 'web-data' }];
      W(d).containers[1].volumes[0].claimName = 'web-data';
    },
    file: WEB,
    path: 'containers[1].volumes[0].size',
    says: ['"2Gi" differs from the 1Gi of container "nginx"\'s volume "data"', 'give every volume with this claimName the same size'],
    lineOf: 'size: 2Gi',
    exact:
      'projects/web.yaml: containers[1].volumes[0].size: "2Gi" differs from the 1Gi of container "nginx"\'s volume "data" (containers[0].volumes[0].size), which shares claim "web-data" with container "api": one PVC has one size; give every volume with this claimName the same size',
  },
  {
    given: 'web\'s nginx naming api\'s claimName "web-data" on an emptyDir',
    defect: (d) => {
      W(d).containers[0].volumes[0].claimName = 'web-data';
      W(d).containers[1].volumes[0].claimName = 'web-data';
    },
    file: WEB,
    path: 'containers[0].volumes[0].claimName',
    says: ['which container "api"\'s persistent volume "data" also names: volumes that share a claim must all be persistent'],
    lineOf: 'claimName: web-data',
    exact:
      'projects/web.yaml: containers[0].volumes[0].claimName: "web-data" names a PVC, but this volume is not persistent (an emptyDir has no claim), which container "api"\'s persistent volume "data" also names: volumes that share a claim must all be persistent; set `persistent: true` or drop claimName',
  },
];

describe('names that meet in a namespace or a Pod', () => {
  for (const c of cases) {
    it(`GIVEN ${c.given} WHEN validated and synthesised THEN both refuse at ${c.file}: ${c.path} and write nothing`, async () => {
      const result = await expectRefused(c);
      expect(result.stderr.split('\n')[0]!.replace(/ \(line \d+\)$/, '')).toBe(c.exact);
    }, 60_000);
  }

  it('GIVEN the two projects of the first case, but web-api only for carol (no namespace holds both) WHEN validated THEN it is valid: names only have to differ where they meet', async () => {
    await expectValid((d) => webApi(d, ['carol']));
  });

  it('GIVEN objects of different kinds with one name (a Secret "web" next to project web\'s ServiceAccount, a Secret named like web\'s claim, a project "devfleet" without routes or volumes next to the quota objects "devfleet") WHEN validated THEN it is valid: kind and name together identify an object', async () => {
    await expectValid((d) => {
      d['projects/devfleet.yaml'] = { ...structuredClone(S(d)), name: 'devfleet', routes: [] };
      S(d).containers[0].env = { A: { secret: 'web', key: 'a' }, B: { secret: 'web-api-data', key: 'b' } };
      S(d).secrets = { web: { generate: 'password' }, 'web-api-data': { generate: 'password' } };
    });
  });

  it('GIVEN three projects a, a-b and a-b-c whose volumes all derive the claim "a-b-c-d-e" WHEN validated THEN every pair is reported at once, each at the project whose name the claim starts with the less of', async () => {
    const defs = baseline();
    const project = (name: string, container: string, volume: string) => ({
      name,
      developers: ['alice'],
      containers: [{ name: container, image: 'busybox:1.36', volumes: [{ path: '/srv', name: volume, persistent: true, size: '1Gi' }] }],
    });
    defs['projects/a.yaml'] = project('a', 'b-c', 'd-e');
    defs['projects/a-b.yaml'] = project('a-b', 'c', 'd-e');
    defs['projects/a-b-c.yaml'] = project('a-b-c', 'd', 'e');
    const result = await runCli('validate', '--root', tempRoot(renderFiles(defs)));
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines.map((l) => l.replace(/: "a-b-c-d-e" \(PersistentVolumeClaim\) collides with /, ' X ').replace(/ in namespace .*$/, ''))).toEqual([
      'projects/a-b.yaml: containers[0].volumes[0].name X projects/a-b-c.yaml: containers[0].volumes[0].name',
      'projects/a.yaml: containers[0].volumes[0].name X projects/a-b-c.yaml: containers[0].volumes[0].name',
      'projects/a.yaml: containers[0].volumes[0].name X projects/a-b.yaml: containers[0].volumes[0].name',
      'devfleet: 3 problem(s) in 2 file(s); nothing was written',
    ]);
  });

  it('GIVEN web\'s container "api" renamed "backend" with claimName "web-api-data" (its claim before) WHEN validated and rendered THEN it is valid and every env still mounts the claim that holds its data', async () => {
    const defs = baseline();
    W(defs).containers[1].name = 'backend';
    W(defs).swap = { container: 'backend' };
    W(defs).containers[1].volumes[0].claimName = 'web-api-data';
    const root = tempRoot(renderFiles(defs));
    const validate = await runCli('validate', '--root', root);
    expect(validate.stderr).toBe('');
    const render = await runCli('render', '--root', root, '--cluster', 'dev', '--env', 'alice/web');
    const claims = render.stdout.split('\n').filter((l) => /^\s+(name|claimName): "?web-/.test(l) && /web-(api|backend)-data/.test(l));
    expect(claims.map((l) => l.trim().replaceAll('"', ''))).toEqual(['name: web-api-data', 'claimName: web-api-data']);
  });

  it('GIVEN web\'s nginx and api sharing one volume (the same claimName "web-data" on a persistent volume of each, at different paths) WHEN validated and rendered THEN it is valid: one PVC, one Pod volume, mounted by both', async () => {
    const defs = baseline();
    W(defs).containers[0].volumes = [{ path: '/usr/share/nginx/html', persistent: true, size: '2Gi', claimName: 'web-data' }];
    W(defs).containers[1].volumes[0].claimName = 'web-data';
    const root = tempRoot(renderFiles(defs));
    const validate = await runCli('validate', '--root', root);
    expect(validate.stderr).toBe('');
    const render = await runCli('render', '--root', root, '--cluster', 'dev', '--env', 'alice/web');
    const lines = render.stdout.split('\n').map((l) => l.trim().replaceAll('"', ''));
    expect(lines.filter((l) => l === 'kind: PersistentVolumeClaim')).toHaveLength(1);
    expect(lines.filter((l) => /^(- )?(name|claimName): (web-data|nginx-html)$/.test(l))).toEqual([
      'name: web-data',
      // A mount in each container (nginx's, api's), then the Pod's one volume.
      'name: nginx-html',
      'name: nginx-html',
      '- name: nginx-html',
      'claimName: web-data',
    ]);
    expect(lines.filter((l) => /^(- )?mountPath: \/(usr|data)/.test(l))).toEqual(['- mountPath: /usr/share/nginx/html', '- mountPath: /data']);
  }, 60_000);

  it('GIVEN a Secret two projects both make WHEN validated THEN it is one problem, check-secrets.ts\'s, not a second one from this check', async () => {
    const result = await expectRefused({
      given: 'shared Secret',
      defect: (d) => (S(d).containers[0].env = { TOKEN: { secret: 'web-db', key: 'token' } }),
      file: SHOP,
      path: 'containers[0].env.TOKEN.secret',
      says: ['Secret "web-db" is also a Secret of project "web"'],
    });
    expect(result.stderr).not.toContain('collides');
  }, 60_000);
});
