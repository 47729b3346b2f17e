/**
 * Each check of generators/definitions/cross-check.ts on its own, with the exact message. The
 * definitions are data in memory (they passed their schema, as cross-checks assume); the files
 * they come from only name them.
 */
import { describe, expect, it } from 'vitest';
import { checkCluster, checkFleet, checkProject, type Checked } from '../../generators/definitions/cross-check.ts';
import type { LoadedFile } from '../../generators/definitions/load.ts';
import { clusterModel, projectModel, type ClusterModel, type ProjectModel } from '../../generators/plan/model.ts';
import type { ClusterDefinition } from '../../generators/schema/cluster.ts';
import type { ProjectDefinition } from '../../generators/schema/project.ts';
import { formatProblem, type Problem } from '../../generators/util/problem.ts';

type Project = Partial<ProjectDefinition> & { name: string };
type Cluster = Partial<ClusterDefinition> & { name: string };

const loaded = (kind: 'project' | 'cluster', file: string, value: unknown): LoadedFile => ({
  kind,
  file,
  stem: file.slice(file.lastIndexOf('/') + 1).replace(/\.[a-z]+$/, ''),
  value,
  lineOf: () => undefined,
});

const web = { name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] };

function project(def: Project, file = `projects/${def.name}.ts`): Checked<ProjectModel> {
  const full = { containers: [web], ...def } as ProjectDefinition;
  return { loaded: loaded('project', file, full), model: projectModel(file, full) };
}

function cluster(def: Cluster, file = `clusters/${def.name}.ts`): Checked<ClusterModel> {
  const full = { domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }, { name: 'bob' }], argocd: { repoURL: 'https://github.com/example/devfleet.git' }, ...def } as ClusterDefinition;
  return { loaded: loaded('cluster', file, full), model: clusterModel(file, full) };
}

const messages = (problems: Problem[]) => problems.map(formatProblem);

function projectProblems(def: Project, file?: string): string[] {
  const { loaded: l, model } = project(def, file);
  const problems: Problem[] = [];
  checkProject(l, model, problems);
  return messages(problems);
}

function clusterProblems(def: Cluster, file?: string): string[] {
  const { loaded: l, model } = cluster(def, file);
  const problems: Problem[] = [];
  checkCluster(l, model, problems);
  return messages(problems);
}

function fleetProblems(projects: Checked<ProjectModel>[], clusters: Checked<ClusterModel>[]): string[] {
  const problems: Problem[] = [];
  checkFleet(projects, clusters, problems);
  return messages(problems);
}

describe('checkProject', () => {
  it('GIVEN a valid project WHEN checked THEN there is no problem', () => {
    expect(projectProblems({ name: 'shop', routes: [{ host: 'shop.com', port: 'http' }], swap: { container: 'web' } })).toEqual([]);
  });

  it('GIVEN a name that differs from the file name WHEN checked THEN it says to rename the file or the name', () => {
    expect(projectProblems({ name: 'shop' }, 'projects/store.yaml')).toEqual([
      'projects/store.yaml: name: "shop" must equal the file name "store"; rename the file to projects/shop.yaml or set name: "store"',
    ]);
  });

  it('GIVEN a project named with the platform prefix (devfleet-scaler is the sleep jobs\' ServiceAccount) WHEN checked THEN the name is refused with one to use', () => {
    expect(projectProblems({ name: 'devfleet-scaler' })).toEqual([
      'projects/devfleet-scaler.ts: name: "devfleet-scaler" starts with "devfleet-", which is reserved for the platform\'s own objects in developer namespaces (such as the sleep jobs\' ServiceAccount "devfleet-scaler"): the env\'s objects, named after the project, would replace them; rename the project, e.g. to "scaler" (and its file)',
    ]);
    expect(projectProblems({ name: 'devfleetish' })).toEqual([]);
  });

  it('GIVEN two containers with one name WHEN checked THEN the second is named', () => {
    expect(projectProblems({ name: 'shop', containers: [web, { name: 'web', image: 'redis:7.4' }] })).toEqual([
      'projects/shop.ts: containers[1].name: "web" is already the name of containers[0]; container names must be unique in a project',
    ]);
  });

  it('GIVEN two containers with one port name and one port number WHEN checked THEN both clashes are named', () => {
    expect(projectProblems({ name: 'shop', containers: [web, { name: 'api', image: 'golang:1.23', ports: [{ name: 'http', port: 80 }] }] })).toEqual([
      'projects/shop.ts: containers[1].ports[0].name: port name "http" is already used by containers[0].ports[0]; port names must be unique in the Pod (the Service exposes them by name)',
      'projects/shop.ts: containers[1].ports[0].port: 80/TCP is already taken by containers[0].ports[0]; containers of one Pod share a network namespace, so give each a different port',
    ]);
  });

  it('GIVEN volumes with one explicit name, one default name and one path twice WHEN checked THEN each is named', () => {
    const volumes = [
      { path: '/var/lib/data', persistent: true },
      { path: '/srv/data' },
      { path: '/cache', name: 'cache' },
      { path: '/tmp/x', name: 'cache' },
      { path: '/cache/' , name: 'other' },
    ];
    expect(projectProblems({ name: 'shop', containers: [{ ...web, volumes }] })).toEqual([
      'projects/shop.ts: containers[0].volumes[1].path: the default volume name "data" (from the path) is already used by volumes[0]; set a unique `name` on this volume',
      'projects/shop.ts: containers[0].volumes[3].name: volume name "cache" is already used by volumes[2]; volume names must be unique in a container',
      'projects/shop.ts: containers[0].volumes[4].path: "/cache/" is already mounted by volumes[2]; mount each path once',
    ]);
  });

  it('GIVEN a file at a volume\'s path and two files at one path WHEN checked THEN each is refused: Kubernetes takes one mount per path', () => {
    const files = [{ path: '/data', content: 'x' }, { path: '/etc/a.conf', content: 'a' }, { path: '/etc/a.conf', secret: 'shop-a', key: 'k' }, { path: '/data/inside.conf', content: 'ok' }];
    expect(projectProblems({ name: 'shop', containers: [{ ...web, volumes: [{ path: '/data' }], files }] })).toEqual([
      'projects/shop.ts: containers[0].files[0].path: "/data" is already mounted by volumes[0]; mount each path once',
      'projects/shop.ts: containers[0].files[2].path: "/etc/a.conf" is already mounted by files[1]; mount each path once',
    ]);
  });

  it('GIVEN a readiness port one letter off WHEN checked THEN it lists the ports and asks "did you mean"', () => {
    expect(projectProblems({ name: 'shop', containers: [{ ...web, readiness: { port: 'htp', path: '/' } }] })).toEqual([
      'projects/shop.ts: containers[0].readiness.port: "htp" is not a port of container "web" (its ports: "http"); did you mean "http"? name one of them',
    ]);
  });

  it('GIVEN a readiness port on a container without ports WHEN checked THEN it says the container has none', () => {
    expect(projectProblems({ name: 'shop', containers: [{ name: 'web', image: 'nginx:1.27', readiness: { port: 'http', path: '/' } }] })).toEqual([
      'projects/shop.ts: containers[0].readiness.port: "http" is not a port of container "web" (its ports: none); name one of them',
    ]);
  });

  it('GIVEN a route to a mistyped port WHEN checked THEN it lists the ports and asks "did you mean"', () => {
    const containers = [web, { name: 'api', image: 'golang:1.23', ports: [{ name: 'api', port: 8080 }] }];
    expect(projectProblems({ name: 'shop', containers, routes: [{ host: 'shop.com', port: 'htp' }] })).toEqual([
      'projects/shop.ts: routes[0].port: no container declares a port named "htp" (ports: "http", "api"); did you mean "http"? name a container port, or add it to a container\'s ports',
    ]);
  });

  it('GIVEN a route to a port unlike any WHEN checked THEN there is no guess', () => {
    expect(projectProblems({ name: 'shop', routes: [{ host: 'shop.com', port: 'metrics' }] })).toEqual([
      'projects/shop.ts: routes[0].port: no container declares a port named "metrics" (ports: "http"); name a container port, or add it to a container\'s ports',
    ]);
  });

  it('GIVEN a route to a UDP port WHEN checked THEN it says an ALB route needs TCP', () => {
    const containers = [{ name: 'dns', image: 'coredns/coredns:1.11.3', ports: [{ name: 'dns', port: 53, protocol: 'UDP' as const }] }];
    expect(projectProblems({ name: 'shop', containers, routes: [{ host: 'shop.com', port: 'dns' }] })).toEqual([
      'projects/shop.ts: routes[0].port: port "dns" is UDP; an ALB route needs a TCP (HTTP) port',
    ]);
  });

  it('GIVEN one host and path routed twice WHEN checked THEN the second is named', () => {
    expect(projectProblems({ name: 'shop', routes: [{ host: 'shop.com', port: 'http' }, { host: 'shop.com', port: 'http' }] })).toEqual([
      'projects/shop.ts: routes[1].host: "shop.com" with path "/" is already routes[0]; each host and path is routed once',
    ]);
  });

  it('GIVEN two hosts that give one DNS label WHEN checked THEN it says to set a subdomain', () => {
    expect(projectProblems({ name: 'shop', routes: [{ host: 'shop.com', port: 'http' }, { host: 'shop-com', port: 'http' }] })).toEqual([
      'projects/shop.ts: routes[1].host: gives the DNS label "shop-com", as routes[0] does; set a different `subdomain`',
    ]);
    expect(projectProblems({ name: 'shop', routes: [{ host: 'shop.com', port: 'http' }, { host: 'api.shop.com', port: 'http', subdomain: 'shop-com' }] })).toEqual([
      'projects/shop.ts: routes[1].subdomain: gives the DNS label "shop-com", as routes[0] does; set a different `subdomain`',
    ]);
  });

  it('GIVEN a mistyped swap container WHEN checked THEN it lists the containers and asks "did you mean"', () => {
    expect(projectProblems({ name: 'shop', containers: [web, { name: 'go', image: 'golang:1.23' }], swap: { container: 'gp' } })).toEqual([
      'projects/shop.ts: swap.container: "gp" is not a container of this project (containers: "web", "go"); did you mean "go"? name one of them',
    ]);
  });

  it('GIVEN a Secret read by a name one letter off a declared one WHEN checked THEN it asks "did you mean" instead of letting it fail at runtime', () => {
    const app = { name: 'app', image: 'python:3.12', env: { DB_PASSWORD: { secret: 'flask-app-dbb', key: 'password' }, TOKEN: { secret: 'stripe', key: 'token' } } };
    expect(projectProblems({ name: 'flask-app', containers: [app], secrets: { 'flask-app-db': { generate: 'password' } } })).toEqual([
      'projects/flask-app.ts: containers[0].env.DB_PASSWORD.secret: "flask-app-dbb" is not declared in `secrets` (declared: "flask-app-db"), so every env would read it from AWS Secrets Manager at "devfleet/<cluster>/flask-app/flask-app-dbb"; did you mean "flask-app-db"? To read that Secrets Manager secret on purpose, declare "flask-app-dbb" in `secrets` with its remoteKey',
    ]);
  });
});

describe('checkCluster', () => {
  it('GIVEN a valid cluster WHEN checked THEN there is no problem', () => {
    expect(clusterProblems({ name: 'dev' })).toEqual([]);
  });

  it('GIVEN a name that differs from the file name WHEN checked THEN it says to rename one', () => {
    expect(clusterProblems({ name: 'dev' }, 'clusters/prod.ts')).toEqual([
      'clusters/prod.ts: name: "dev" must equal the file name "prod"; rename the file to clusters/dev.ts or set name: "prod"',
    ]);
  });

  it('GIVEN a misspelt time zone WHEN checked THEN it suggests the zone it is a typo of', () => {
    expect(clusterProblems({ name: 'dev', timeZone: 'Asia/Tokio' })).toEqual([
      'clusters/dev.ts: timeZone: "Asia/Tokio" is not an IANA time zone (tz database 2026d, which the sleep/wake CronJobs\' timeZone needs); did you mean "Asia/Tokyo"?',
    ]);
  });

  it('GIVEN a time zone like no other WHEN checked THEN it gives examples', () => {
    expect(clusterProblems({ name: 'dev', timeZone: 'Nowhere/Special' })).toEqual([
      'clusters/dev.ts: timeZone: "Nowhere/Special" is not an IANA time zone (tz database 2026d, which the sleep/wake CronJobs\' timeZone needs); write Area/Location with an area of Africa, America, Antarctica, Asia, Atlantic, Australia, Etc, Europe, Indian, Pacific, e.g. "Asia/Tokyo" or "Europe/Berlin"',
    ]);
  });

  it('GIVEN a kube- namespace prefix WHEN checked THEN it is one problem at the prefix, not one per developer', () => {
    expect(clusterProblems({ name: 'dev', namespacePrefix: 'kube-' })).toEqual([
      'clusters/dev.ts: namespacePrefix: "kube-" makes every namespace "kube-<developer>", and kube-* namespaces are reserved for Kubernetes; choose another prefix, e.g. "dev-"',
    ]);
  });

  it('GIVEN a developer listed twice and two developers with one e-mail (in any case) WHEN checked THEN the later ones are named', () => {
    const developers = [{ name: 'alice', email: 'alice@example.com' }, { name: 'alice' }, { name: 'bob', email: 'Alice@Example.com' }];
    expect(clusterProblems({ name: 'dev', developers })).toEqual([
      'clusters/dev.ts: developers[1].name: "alice" is already developers[0]; developer names must be unique',
      'clusters/dev.ts: developers[2].email: "Alice@Example.com" is already the e-mail of developers[0]; each developer needs their own',
    ]);
  });

  it('GIVEN developers whose namespaces would be Argo CD\'s or default WHEN checked THEN each is named', () => {
    expect(clusterProblems({ name: 'dev', namespacePrefix: 'def', developers: [{ name: 'ault' }, { name: 'alice' }] })).toEqual([
      'clusters/dev.ts: developers[0].name: gives the namespace "default", which is reserved (Argo CD, default or kube-*); choose another name or `namespacePrefix`',
    ]);
    expect(clusterProblems({ name: 'dev', argocd: { repoURL: 'https://github.com/example/devfleet.git', namespace: 'dev-alice' } })).toEqual([
      'clusters/dev.ts: developers[0].name: gives the namespace "dev-alice", which is reserved (Argo CD, default or kube-*); choose another name or `namespacePrefix`',
    ]);
  });
});

describe('checkFleet', () => {
  it('GIVEN two files defining one project and two defining one cluster WHEN checked THEN the later files are named', () => {
    expect(fleetProblems([project({ name: 'shop' }), project({ name: 'shop' }, 'projects/shop.yaml')], [cluster({ name: 'dev' }), cluster({ name: 'dev' }, 'clusters/dev.yaml')])).toEqual([
      'projects/shop.yaml: name: project "shop" is already defined in projects/shop.ts; keep one file per project',
      'clusters/dev.yaml: name: cluster "dev" is already defined in clusters/dev.ts; keep one file per cluster',
    ]);
  });

  it('GIVEN two projects whose routes give one DNS label WHEN checked THEN the second project is told to choose another host', () => {
    const shop = project({ name: 'shop', routes: [{ host: 'shop.com', port: 'http' }] });
    const store = project({ name: 'store', routes: [{ host: 'shop-com', port: 'http' }] });
    expect(fleetProblems([shop, store], [cluster({ name: 'dev' })])).toEqual([
      'projects/store.ts: routes[0].host: DNS label "shop-com" (from "shop-com") is already claimed by project "shop"; every env host must be unique in the fleet, so choose another host or set `subdomain`',
    ]);
  });

  it('GIVEN a project listing a mistyped developer and an unknown one WHEN checked THEN the typo gets "did you mean" against every cluster\'s developers', () => {
    const clusters = [cluster({ name: 'dev' }), cluster({ name: 'prod', developers: [{ name: 'carol' }] })];
    expect(fleetProblems([project({ name: 'shop', developers: ['alcie', 'carol', 'zed'] })], clusters)).toEqual([
      'projects/shop.ts: developers[0]: "alcie" is not a developer of any cluster (clusters/dev.ts, clusters/prod.ts); did you mean "alice"? add them to a cluster\'s developers or fix the name',
      'projects/shop.ts: developers[2]: "zed" is not a developer of any cluster (clusters/dev.ts, clusters/prod.ts); add them to a cluster\'s developers or fix the name',
    ]);
  });

  it('GIVEN no cluster at all WHEN checked THEN developer names are not judged (the missing cluster is reported by load-fleet.ts)', () => {
    expect(fleetProblems([project({ name: 'shop', developers: ['zed'] })], [])).toEqual([]);
  });
});
