/**
 * What developers may change on a ScaledObject: only the annotation `devfleet up` and `down` use
 * (plan/labels.ts FORCE_ACTIVATION_ANNOTATION, "true" or absent), nothing else.
 *
 * RBAC cannot say "this one annotation": the developers' `patch` on `scaledobjects.keda.sh`
 * (access.ts) would let them change the spec too (a `maxReplicaCount: 50`, another scale target).
 * A ValidatingAdmissionPolicy, evaluated by the API server itself (CEL, no webhook to run), refuses
 * any UPDATE by a member of the developers' group (DEVELOPERS_GROUP) that changes the spec, the labels, the finalizers,
 * the owner references or another annotation. Generated only for clusters whose envs sit behind the
 * front door (where ScaledObjects exist); synced by the platform AppProject.
 * Ref https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
import { FORCE_ACTIVATION_ANNOTATION } from '../plan/labels.ts';
import type { ClusterModel } from '../plan/model.ts';
import { LABELS } from '../plan/labels.ts';
import { DEVELOPERS_GROUP } from '../plan/names.ts';
import { clusterLabels } from './argocd.ts';

export const SCALED_OBJECT_POLICY = 'devfleet-developer-scaledobject-changes';

const ADMISSION_API = 'admissionregistration.k8s.io/v1';

/** A map field of metadata, or an empty map when absent. */
const orEmpty = (object: string, field: string, empty: '{}' | '[]') => `(has(${object}.metadata.${field}) ? ${object}.metadata.${field} : ${empty})`;

export function scaledObjectPolicyObjects(cluster: ClusterModel): Record<string, unknown>[] {
  if (cluster.ingress.mode !== 'front-door') return [];
  const labels = { ...clusterLabels(cluster), [LABELS.component]: 'access' };
  const key = JSON.stringify(FORCE_ACTIVATION_ANNOTATION).replaceAll('"', "'");
  const only = `developers may change nothing on a ScaledObject but its annotation ${FORCE_ACTIVATION_ANNOTATION} (devfleet up/down)`;
  return [
    {
      apiVersion: ADMISSION_API,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: SCALED_OBJECT_POLICY, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: ['keda.sh'], apiVersions: ['*'], operations: ['UPDATE'], resources: ['scaledobjects'] }] },
        matchConditions: [{ name: 'developers', expression: `'${DEVELOPERS_GROUP}' in request.userInfo.groups` }],
        variables: [
          { name: 'before', expression: orEmpty('oldObject', 'annotations', '{}') },
          { name: 'after', expression: orEmpty('object', 'annotations', '{}') },
        ],
        validations: [
          { expression: 'object.spec == oldObject.spec', message: `${only}: the spec is the definitions' (change it in projects/ or clusters/)` },
          {
            expression: `${orEmpty('object', 'labels', '{}')} == ${orEmpty('oldObject', 'labels', '{}')} && ${orEmpty('object', 'finalizers', '[]')} == ${orEmpty('oldObject', 'finalizers', '[]')} && ${orEmpty('object', 'ownerReferences', '[]')} == ${orEmpty('oldObject', 'ownerReferences', '[]')}`,
            message: `${only}: labels, finalizers and owner references stay as they are`,
          },
          {
            expression: `variables.after.all(k, k == ${key} || (k in variables.before && variables.before[k] == variables.after[k])) && variables.before.all(k, k == ${key} || k in variables.after)`,
            message: `${only}: other annotations stay as they are`,
          },
          { expression: `!(${key} in variables.after) || variables.after[${key}] == 'true'`, message: `${FORCE_ACTIVATION_ANNOTATION} may only be "true", or removed` },
        ],
      },
    },
    {
      apiVersion: ADMISSION_API,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: SCALED_OBJECT_POLICY, labels },
      spec: { policyName: SCALED_OBJECT_POLICY, validationActions: ['Deny'] },
    },
  ];
}
