/**
 * No generated object may be too large for Kubernetes to take from Argo CD.
 *
 * The object that grows with a definition is the env's Deployment: it carries every container's
 * image, command, arguments and environment values (the Argo CD Application carries a few names
 * only). The binding limit is not etcd's (1.5 MiB per request) nor the API server's (3 MiB per
 * request body): the generated Applications sync with Argo CD's default client-side apply,
 * which copies the whole object, as JSON, into its `kubectl.kubernetes.io/last-applied-configuration`
 * annotation, and Kubernetes allows 256 KiB (262,144 bytes) of annotations per object. A
 * Deployment over that fails every sync with "metadata.annotations: Too long".
 * Ref https://github.com/kubernetes/apimachinery/blob/master/pkg/api/validation/objectmeta.go (TotalAnnotationSizeLimitB)
 * Ref https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#server-side-apply
 *
 * The definition's own text in the Deployment is measured exactly (as JSON, the way the
 * annotation stores it); what devfleet adds around it (names, labels, probes, security
 * contexts, volumes) is bounded by GENERATED_ALLOWANCE, which
 * test/definitions/check-object-size.test.ts holds to a rendered Deployment of the largest shape
 * the schema allows.
 */
import type { ProjectModel } from '../plan/model.ts';
import { FILES_POD_VOLUME, fileKey, secretFilesPodVolume } from '../plan/names.ts';
import type { LoadedFile } from './load.ts';
import { problemAt } from './problem-at.ts';
import { joinPath, type Problem } from '../util/problem.ts';

/** Kubernetes' limit on the total size of an object's annotations. */
export const ANNOTATIONS_LIMIT = 256 * 1024;

/** Room kept for what devfleet generates around the definition's text in a Deployment. */
export const GENERATED_ALLOWANCE = 32 * 1024;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;

/** The parts of a project's definition that its Deployment carries, each with its JSON size. */
export function deploymentText(project: ProjectModel): { segments: (string | number)[]; bytes: number }[] {
  const parts: { segments: (string | number)[]; bytes: number }[] = [{ segments: ['description'], bytes: bytes(project.description) }];
  project.containers.forEach((container, c) => {
    const at = (field: string, value: unknown) => parts.push({ segments: ['containers', c, field], bytes: bytes(value) });
    at('name', container.name);
    at('image', container.image);
    at('command', container.command ?? []);
    at('args', container.args ?? []);
    at('workingDir', container.workingDir ?? '');
    at(
      'env',
      container.env.map(([name, value]) => (typeof value === 'string' ? { name, value } : { name, valueFrom: { secretKeyRef: { name: value.secret, key: value.key } } })),
    );
    at('ports', container.ports.map((port) => ({ name: port.name, containerPort: port.port, protocol: port.protocol })));
    at('volumes', container.volumes.map((volume) => ({ name: volume.name, mountPath: volume.path })));
    at('readiness', container.readiness ?? null);
    // Each file is a whole mount (chart/deployment.ts), and each Secret it reads a Pod volume: counted as rendered.
    at('files', container.files.map((file, i) => ({ name: file.secret ? secretFilesPodVolume(99) : FILES_POD_VOLUME, mountPath: file.path, subPath: file.secret ? file.secret.key : fileKey(container.name, i), readOnly: true })));
  });
  const secrets = [...new Set(project.containers.flatMap((c) => c.files.flatMap((f) => (f.secret ? [f.secret.secret] : []))))];
  parts.push({ segments: ['containers'], bytes: bytes(secrets.map((secret) => ({ name: secretFilesPodVolume(99), secret: { secretName: secret } }))) });
  return parts;
}

/**
 * The env's ConfigMap of single files (chart/config-map.ts) is applied the same way, so its text
 * must fit the same annotation: every `{ path, content }` file of the project together.
 */
export function checkFilesSize(loaded: LoadedFile, project: ProjectModel): Problem[] {
  const parts = project.containers.flatMap((container, c) => container.files.flatMap((file, f) => (file.content === undefined ? [] : [{ segments: ['containers', c, 'files', f, 'content'], bytes: bytes(file.content) }])));
  const total = parts.reduce((n, p) => n + p.bytes, 0);
  const room = ANNOTATIONS_LIMIT - GENERATED_ALLOWANCE;
  if (total <= room) return [];
  const largest = [...parts].sort((a, b) => b.bytes - a.bytes);
  return [
    problemAt(
      loaded,
      largest[0]!.segments,
      `the env's ConfigMap of files would carry ${kib(total)} (${largest.slice(0, 3).map((p) => `${joinPath(p.segments)} ${kib(p.bytes)}`).join(', ')}), more than the ${kib(room)} that fit: Argo CD's apply copies it into its last-applied-configuration annotation and Kubernetes allows ${kib(ANNOTATIONS_LIMIT)} of annotations per object; build large files into the image`,
    ),
  ];
}

export function checkDeploymentSize(loaded: LoadedFile, project: ProjectModel): Problem[] {
  const parts = deploymentText(project);
  const total = parts.reduce((n, p) => n + p.bytes, 0);
  const room = ANNOTATIONS_LIMIT - GENERATED_ALLOWANCE;
  if (total <= room) return [];
  const largest = [...parts].sort((a, b) => b.bytes - a.bytes);
  const named = largest
    .slice(0, 3)
    .map((p) => `${joinPath(p.segments)} ${kib(p.bytes)}`)
    .join(', ');
  return [
    problemAt(
      loaded,
      largest[0]!.segments,
      `the env's Deployment would carry ${kib(total)} of this definition's text (${named}), more than the ${kib(room)} that fit: Argo CD's apply copies the whole Deployment into its last-applied-configuration annotation and Kubernetes allows ${kib(ANNOTATIONS_LIMIT)} of annotations per object (devfleet keeps ${kib(GENERATED_ALLOWANCE)} for what it generates), so every sync would fail; keep large content out of env values and arguments: build it into the image, or read it from a Secret with { secret, key }`,
    ),
  ];
}
