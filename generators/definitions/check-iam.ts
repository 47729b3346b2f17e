/**
 * A project's AWS access stays within what ops allow in each cluster it runs in.
 *
 * Terraform gives every env's Pod Identity role the project's `aws.policies`. Ops list the
 * policies projects may request in the cluster definition (`aws.allowedPolicies`), so a PR cannot
 * grant itself AdministratorAccess: anything else is refused here, naming the cluster file that
 * would have to allow it. An empty list (or no `aws`) allows none; Terraform's preconditions
 * (terraform/modules/platform/pod-identity.tf) apply the same rule to the plan. Only clusters
 * where the project has envs are asked (a project limited to developers of one cluster gets no
 * role elsewhere).
 */
import { closest, distance } from 'fastest-levenshtein';
import type { ClusterModel } from '../plan/model.ts';
import type { ClusterPlan } from '../plan/plan.ts';
import type { LoadedFile } from './load.ts';
import { problemAt } from './problem-at.ts';
import type { Problem } from '../util/problem.ts';

/** How many allowed policies a message lists before it only counts them. */
const LISTED = 5;

export function checkProjectPolicies(plan: ClusterPlan, loadedOf: (file: string) => LoadedFile): Problem[] {
  const { cluster } = plan;
  const allowed = cluster.aws.allowedPolicies;
  const allowedSet = new Set(allowed);
  const problems: Problem[] = [];
  for (const project of plan.projects) {
    if (!project.aws || !plan.envs.some((env) => env.project === project)) continue;
    project.aws.policies.forEach((policy, i) => {
      if (allowedSet.has(policy)) return;
      const guess = allowed.length > 0 ? closest(policy, [...allowed]) : undefined;
      const typo = guess !== undefined && distance(policy, guess) <= 3 ? `did you mean "${guess}"? ` : '';
      const choices =
        allowed.length === 0
          ? 'it allows none yet'
          : allowed.length <= LISTED
            ? `it allows ${allowed.map((a) => `"${a}"`).join(', ')}`
            : `it allows ${allowed.length} policies`;
      problems.push(
        problemAt(
          loadedOf(project.file),
          ['aws', 'policies', i],
          `"${policy}" is not allowed in cluster "${cluster.name}" (${choices}); ${typo}request an allowed policy, or ask ops to add it to aws.allowedPolicies in ${cluster.file} (they review what it grants every env's role)`,
        ),
      );
    });
  }
  return problems;
}

/** An AWS-managed policy's ARN (`arn:<partition>:iam::aws:policy/...`). */
const AWS_MANAGED = /^arn:aws(-cn|-us-gov)?:iam::aws:policy\//;

/**
 * Warnings (not problems: the definition stays valid) for AWS-managed policies in
 * `aws.allowedPolicies`: they are account-wide (AmazonS3ReadOnlyAccess reads every bucket). The
 * project roles' permissions boundary (terraform/modules/platform/permissions-boundary.tf) still
 * keeps them off the platform's secrets, IAM and the Terraform state, not off other data.
 */
export function awsManagedPolicyWarnings(loaded: LoadedFile, cluster: ClusterModel): Problem[] {
  return cluster.aws.allowedPolicies.flatMap((policy, i) =>
    AWS_MANAGED.test(policy)
      ? [
          problemAt(
            loaded,
            ['aws', 'allowedPolicies', i],
            `"${policy}" is an AWS-managed policy: it grants its actions on every matching resource of the account (AmazonS3ReadOnlyAccess reads every bucket) to every project that requests it; the project roles' permissions boundary only keeps it off the platform's secrets, IAM and the Terraform state; prefer a customer-managed policy scoped to the projects' own resources`,
          ),
        ]
      : [],
  );
}
