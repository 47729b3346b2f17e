/**
 * The fixed part of a cluster that the definitions do not describe: what terraform/ builds for
 * every cluster whatever its envs. The values are Terraform's (terraform/modules/platform/
 * variables.tf `system_nodes` defaults, as terraform/clusters/dev/terraform.tfvars also sets
 * them); test/cost/platform.test.ts reads both files and fails when they drift apart.
 */
export const PLATFORM = {
  /** The on-demand managed node group for system pods: its first instance type, `desired_size` nodes. */
  systemNodes: { instanceType: 'm7i.large', count: 2 },
  /** One EKS control plane per cluster. */
  controlPlanes: 1,
} as const;
