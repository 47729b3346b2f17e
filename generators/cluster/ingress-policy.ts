/**
 * Which Ingresses a developer namespace may hold, enforced by the API server itself: a Git change
 * that review and `devfleet validate` did not see still cannot open an env to the internet, drop
 * its sign-in, or join the platform's load balancer.
 *
 * - Behind the front door (`ingress.mode: front-door`) envs have no Ingress at all: the front door
 *   routes them. The env AppProject does not admit the kind (argocd.ts), and this policy refuses
 *   any Ingress in a developer namespace, whoever applies it.
 * - With per-env IngressGroups an env Ingress must be what the chart generates (chart/ingress.ts):
 *   the cluster's IngressClass (its IngressClassParams, terraform/modules/platform/ingress.tf, pin
 *   the scheme and the client CIDRs and admit developer namespaces only), no legacy class
 *   annotation, one of the cluster's env IngressGroups (never the platform's
 *   `devfleet-<cluster>-platform`, where Headlamp and the front door live: the controller puts
 *   every Ingress naming a group into it, whatever its class), the access guard's annotations
 *   exactly (sign-in cannot be dropped, another IdP cannot be named), and hosts under the cluster
 *   domain other than the platform's own (Headlamp's, where users paste tokens; Argo CD's webhook's,
 *   where GitHub sends every push).
 * Ref https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 * Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/#ingressclassparams
 */
import { accessAnnotations } from '../chart/ingress.ts';
import type { ClusterModel } from '../plan/model.ts';
import { ALB_ANNOTATIONS, LABELS, LEGACY_INGRESS_CLASS_ANNOTATION } from '../plan/labels.ts';
import { ARGOCD_WEBHOOK_HOST_LABEL, HEADLAMP_HOST_LABEL, ingressGroupName } from '../plan/names.ts';
import { clusterLabels } from './argocd.ts';
import { developerNamespaceSelector } from './replica-cap.ts';

export const ENV_INGRESS_POLICY = 'devfleet-env-ingresses';

const ADMISSION_API = 'admissionregistration.k8s.io/v1';
const GROUP_ANNOTATION = ALB_ANNOTATIONS.groupName;
const LEGACY_CLASS_ANNOTATION = LEGACY_INGRESS_CLASS_ANNOTATION;
/** Annotations that decide who reaches a load balancer: only the access guard's values are allowed. */
export const ACCESS_ANNOTATION_KEYS = [
  ALB_ANNOTATIONS.scheme,
  ALB_ANNOTATIONS.inboundCidrs,
  ALB_ANNOTATIONS.authType,
  ALB_ANNOTATIONS.authIdpOidc,
  ALB_ANNOTATIONS.authIdpCognito,
  ALB_ANNOTATIONS.authOnUnauthenticatedRequest,
  ALB_ANNOTATIONS.authScope,
] as const;

export const NO_INGRESS_MESSAGE = 'envs behind the front door have no Ingress: the front door routes every env host (ingress.mode: front-door in the cluster definition)';

/** A CEL single-quoted string literal. */
const cel = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const list = (items: readonly string[]) => `[${items.map(cel).join(', ')}]`;

function validations(cluster: ClusterModel): Record<string, unknown>[] {
  if (cluster.ingress.mode === 'front-door') return [{ expression: 'false', reason: 'Forbidden', message: NO_INGRESS_MESSAGE }];
  const a = 'variables.annotations';
  const guard = accessAnnotations(cluster);
  const groups = Array.from({ length: cluster.ingress.groups }, (_, n) => ingressGroupName(cluster.name, n));
  const access = ACCESS_ANNOTATION_KEYS.map((k) => (k in guard ? `(${cel(k)} in ${a} && ${a}[${cel(k)}] == ${cel(guard[k]!)})` : `!(${cel(k)} in ${a})`)).join(' && ');
  const domain = `.${cluster.domain}`;
  const platformHosts = [HEADLAMP_HOST_LABEL, ARGOCD_WEBHOOK_HOST_LABEL].map((label) => `${label}${domain}`);
  return [
    {
      expression: `has(object.spec.ingressClassName) && object.spec.ingressClassName == ${cel(cluster.ingress.className)} && !(${cel(LEGACY_CLASS_ANNOTATION)} in ${a})`,
      reason: 'Forbidden',
      message: `an env Ingress uses the IngressClass ${cluster.ingress.className} (spec.ingressClassName), without the ${LEGACY_CLASS_ANNOTATION} annotation`,
    },
    {
      expression: `${cel(GROUP_ANNOTATION)} in ${a} && ${a}[${cel(GROUP_ANNOTATION)}] in ${list(groups)}`,
      reason: 'Forbidden',
      message: `an env Ingress joins one of the cluster's env IngressGroups (${GROUP_ANNOTATION}: ${groups.join(', ')}), never the platform's`,
    },
    {
      expression: access,
      reason: 'Forbidden',
      message: `an env Ingress carries the cluster's access guard exactly (${ACCESS_ANNOTATION_KEYS.join(', ')}); change the guard in the cluster definition`,
    },
    {
      expression: `!has(object.spec.defaultBackend) && has(object.spec.rules) && object.spec.rules.all(r, has(r.host) && r.host.endsWith(${cel(domain)}) && !r.host.startsWith('*') && !(r.host in ${list(platformHosts)}))`,
      reason: 'Forbidden',
      message: `an env Ingress serves named hosts under ${cluster.domain}: no default backend, no wildcard, not the platform's ${platformHosts.join(' or ')}`,
    },
  ];
}

export function ingressPolicyObjects(cluster: ClusterModel): Record<string, unknown>[] {
  const labels = { ...clusterLabels(cluster), [LABELS.component]: 'access' };
  return [
    {
      apiVersion: ADMISSION_API,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: ENV_INGRESS_POLICY, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          namespaceSelector: developerNamespaceSelector(cluster),
          resourceRules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }],
        },
        variables: [{ name: 'annotations', expression: 'has(object.metadata.annotations) ? object.metadata.annotations : {}' }],
        validations: validations(cluster),
      },
    },
    {
      apiVersion: ADMISSION_API,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: ENV_INGRESS_POLICY, labels },
      spec: { policyName: ENV_INGRESS_POLICY, validationActions: ['Deny'] },
    },
  ];
}
