/**
 * The fleet of ./make-fleet.ts written the way a team would without devfleet: one kustomize base
 * per project (ServiceAccount, PersistentVolumeClaim, Service, a Deployment of the same three
 * containers, an Ingress with the same two routes) and one overlay per env that sets the
 * developer's namespace and label and patches the env's two hosts and its IngressGroup. The
 * benchmark renders every overlay with `kubectl kustomize`, as Argo CD renders each Application.
 * Ref https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { developerName, projectName, type FleetSize } from './make-fleet.ts';

/** Writes bases/<project>/ and envs/<developer>/<project>/ under `dir`; returns the overlay folders. */
export function writeKustomizeFleet(dir: string, size: FleetSize): string[] {
  const overlays: string[] = [];
  for (let p = 0; p < size.projects; p++) {
    const name = projectName(p);
    const base = join(dir, 'bases', name);
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, 'kustomization.yaml'), stringify({ resources: ['resources.yaml'] }));
    writeFileSync(join(base, 'resources.yaml'), baseObjects(name, p).map((o) => stringify(o)).join('---\n'));
  }
  for (let d = 0; d < size.developers; d++) {
    const developer = developerName(d);
    for (let p = 0; p < size.projects; p++) {
      const name = projectName(p);
      const overlay = join(dir, 'envs', developer, name);
      mkdirSync(overlay, { recursive: true });
      writeFileSync(
        join(overlay, 'kustomization.yaml'),
        stringify({
          resources: [`../../../bases/${name}`],
          namespace: `dev-${developer}`,
          labels: [{ pairs: { 'devfleet.dev/developer': developer }, includeSelectors: false, includeTemplates: true }],
          patches: [
            {
              target: { kind: 'Ingress', name },
              patch: stringify([
                { op: 'replace', path: '/spec/rules/0/host', value: `${name}-example-com--${developer}.fleet.example.com` },
                { op: 'replace', path: '/spec/rules/1/host', value: `api-${name}-example-com--${developer}.fleet.example.com` },
                { op: 'add', path: '/metadata/annotations/alb.ingress.kubernetes.io~1group.name', value: `devfleet-fleet-${(d * size.projects + p) % 34}` },
              ]),
            },
          ],
        }),
      );
      overlays.push(overlay);
    }
  }
  return overlays;
}

function baseObjects(name: string, p: number): object[] {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/part-of': 'devfleet', 'devfleet.dev/project': name };
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
  const metadata = (suffix = '') => ({ name: `${name}${suffix}`, labels });
  const resources = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory } });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(), automountServiceAccountToken: false },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { ...metadata('-db-mysql'), annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, storageClassName: 'efs' },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(),
      spec: {
        selector,
        ports: [
          { name: 'http', port: 80, targetPort: 80, protocol: 'TCP' },
          { name: 'api', port: 8080, targetPort: 8080, protocol: 'TCP' },
          { name: 'mysql', port: 3306, targetPort: 3306, protocol: 'TCP' },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(),
      spec: {
        replicas: 0,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            containers: [
              { name: 'nginx', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{ name: 'http', containerPort: 80 }], resources: resources('50m', '128Mi') },
              {
                name: 'app',
                image: `registry.example.com/${name}:1.0.${p}`,
                imagePullPolicy: 'IfNotPresent',
                env: [
                  { name: 'APP_ENV', value: 'development' },
                  { name: 'LOG_FORMAT', value: '{{.Time}} {{.Message}}' },
                  { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${name}-db`, key: 'password' } } },
                ],
                ports: [{ name: 'api', containerPort: 8080 }],
                resources: resources('100m', '256Mi'),
              },
              {
                name: 'db',
                image: 'mysql:8.4',
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'mysql', containerPort: 3306 }],
                resources: resources('50m', '128Mi'),
                volumeMounts: [{ name: 'db-mysql', mountPath: '/var/lib/mysql' }],
              },
            ],
            volumes: [{ name: 'db-mysql', persistentVolumeClaim: { claimName: `${name}-db-mysql` } }],
          },
        },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { ...metadata(), annotations: { 'alb.ingress.kubernetes.io/scheme': 'internal', 'alb.ingress.kubernetes.io/target-type': 'ip' } },
      spec: {
        ingressClassName: 'alb',
        rules: [
          { host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }] } },
          { host: `api.${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'api' } } } }] } },
        ],
      },
    },
  ];
}
