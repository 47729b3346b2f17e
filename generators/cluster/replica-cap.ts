/**
 * The replica cap, enforced by the API server itself: a Deployment in a developer namespace runs
 * at most one replica, whether it is created, updated or scaled through the `scale` subresource
 * (`kubectl scale`, Headlamp's scale button, `devfleet up`, HPA-like controllers).
 *
 * Why: an env is one Pod by design. Its persistent volumes are ReadWriteOnce databases (two
 * MySQLs on one data directory corrupt it), and the namespace quota is shared by all of a
 * developer's envs: anyone who may scale (every developer, in every developer namespace) could
 * otherwise exhaust a colleague's quota with `--replicas=40`.
 *
 * One ValidatingAdmissionPolicy and its binding, cluster-scoped, once per cluster. The API server
 * evaluates the CEL rule in process (no webhook to run or to fail). For `deployments/scale` the
 * object is an autoscaling/v1 Scale, whose `spec.replicas` is checked the same way. An update
 * that does not raise the replica count is always let through, so a Deployment that was already
 * above the cap before the policy existed can still be scaled down or synced.
 * Ref https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
import type { ClusterModel } from '../plan/model.ts';
import { clusterLabels } from './argocd.ts';
import { LABELS } from '../plan/labels.ts';

export const REPLICA_CAP_POLICY = 'devfleet-env-replicas';

/** Replicas an env may run. */
export const MAX_ENV_REPLICAS = 1;

/** The namespaces the cap applies to: this cluster's developer namespaces, by the labels namespaces.ts gives them. */
export function developerNamespaceSelector(cluster: ClusterModel): Record<string, unknown> {
  return {
    matchLabels: { [LABELS.cluster]: cluster.name },
    matchExpressions: [{ key: LABELS.developer, operator: 'Exists' }],
  };
}

const REPLICAS = 'object.spec.replicas';
// `has()` guards: a Scale may come without spec.replicas, which means none.
const WITHIN_CAP = `!has(object.spec) || !has(${REPLICAS}) || ${REPLICAS} <= ${MAX_ENV_REPLICAS}`;
const NOT_RAISED = `oldObject != null && has(oldObject.spec) && has(oldObject.spec.replicas) && has(${REPLICAS}) && ${REPLICAS} <= oldObject.spec.replicas`;

export const REPLICA_CAP_MESSAGE =
  `a devfleet env runs at most ${MAX_ENV_REPLICAS} replica: its volumes are ReadWriteOnce and the namespace quota is shared by the developer's envs. ` +
  'Scale to 1 to wake it and to 0 to put it to sleep (npx devfleet up|down <project>, or kubectl scale --replicas=1).';

export function replicaCapObjects(cluster: ClusterModel): Record<string, unknown>[] {
  const labels = { ...clusterLabels(cluster), [LABELS.component]: 'replica-cap' };
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: REPLICA_CAP_POLICY, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          namespaceSelector: developerNamespaceSelector(cluster),
          resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'deployments/scale'] }],
        },
        validations: [
          {
            expression: `${WITHIN_CAP} || (${NOT_RAISED})`,
            reason: 'Forbidden',
            message: REPLICA_CAP_MESSAGE,
            // A CEL double-quoted string: the message holds no double quote or backslash.
            messageExpression: `"replicas: " + string(${REPLICAS}) + " refused; ${REPLICA_CAP_MESSAGE}"`,
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: REPLICA_CAP_POLICY, labels },
      spec: { policyName: REPLICA_CAP_POLICY, validationActions: ['Deny'] },
    },
  ];
}
