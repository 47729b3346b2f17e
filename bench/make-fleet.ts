/**
 * Writes a synthetic fleet (one cluster, P projects x D developers) as YAML definitions, for the
 * benchmarks (`npm run bench`: 50 x 20 and 100 x 100) and the large-fleet tests. Each project is an nginx + app + database Pod with two
 * routes on two ports and a persistent volume, like the article's my-app.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface FleetSize {
  projects: number;
  developers: number;
}

/** The name of the i-th project and developer: `app007`, `dev00042`. */
export const projectName = (i: number): string => `app${String(i).padStart(3, '0')}`;
export const developerName = (i: number): string => `dev${String(i).padStart(5, '0')}`;

export interface FleetOptions {
  /** A word in every description, to make a changed fleet. */
  variant?: string;
  /**
   * How envs are exposed: `front-door` writes no `ingress` at all (the defaults), `ingress-groups`
   * per-env Ingresses with enough IngressGroups. Unset: an `ingress.groups` sized for per-env
   * Ingresses, in the default (front-door) mode, as the fleet has always been written.
   */
  ingress?: 'front-door' | 'ingress-groups';
  /** The cluster definition's `argocd.shards` (application controllers); unset: the default for the fleet's size. */
  shards?: number;
}

export function writeFleet(root: string, size: FleetSize, options: FleetOptions = {}): { envs: number } {
  mkdirSync(join(root, 'projects'), { recursive: true });
  mkdirSync(join(root, 'clusters'), { recursive: true });
  const envs = size.projects * size.developers;
  // Two target groups per env; about 60 per ALB leaves room for uneven hashing (limit 100).
  const groups = Math.max(1, Math.ceil((envs * 2) / 60));
  writeFileSync(
    join(root, 'clusters', 'fleet.yaml'),
    stringify({
      name: 'fleet',
      domain: 'fleet.example.com',
      timeZone: 'Asia/Tokyo',
      developers: Array.from({ length: size.developers }, (_, i) => ({ name: developerName(i) })),
      argocd: { repoURL: 'https://git.example.com/platform/devfleet.git', ...(options.shards === undefined ? {} : { shards: options.shards }) },
      // Every developer has an env of every project, each with one 2Gi PVC that stays while it
      // sleeps: the namespace quota holds them all (validate refuses a fleet whose PVCs cannot fit).
      quota: { persistentVolumeClaims: Math.max(30, size.projects), storage: `${Math.max(100, size.projects * 2)}Gi` },
      ...(options.ingress === 'front-door' ? {} : { ingress: options.ingress === 'ingress-groups' ? { mode: 'ingress-groups', groups } : { groups } }),
    }),
  );
  for (let p = 0; p < size.projects; p++) {
    const name = projectName(p);
    writeFileSync(
      join(root, 'projects', `${name}.yaml`),
      stringify({
        name,
        description: `Synthetic project ${p}${options.variant ? ` (${options.variant})` : ''}`,
        containers: [
          { name: 'nginx', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] },
          {
            name: 'app',
            image: `registry.example.com/${name}:1.0.${p}`,
            env: { APP_ENV: 'development', LOG_FORMAT: '{{.Time}} {{.Message}}', DB_PASSWORD: { secret: `${name}-db`, key: 'password' } },
            ports: [{ name: 'api', port: 8080 }],
            resources: { cpu: '100m', memory: '256Mi' },
          },
          { name: 'db', image: 'mysql:8.4', ports: [{ name: 'mysql', port: 3306 }], volumes: [{ path: '/var/lib/mysql', persistent: true, size: '2Gi' }] },
        ],
        routes: [
          { host: `${name}.example.com`, port: 'http' },
          { host: `api.${name}.example.com`, port: 'api' },
        ],
      }),
    );
  }
  return { envs };
}
