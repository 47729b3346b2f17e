################################################################################
# Permissions boundary of the project roles
# Made here, and set on every project role (pod-identity.tf): a project role can do at most
# what its attached policies allow AND this boundary allows. It allows what ops allow
# (everything, or the statements of ops' own boundary, `iam.permissions_boundary`, copied in)
# minus explicit Denies that no policy can undo: IAM, Organizations and account changes
# (privilege escalation), assuming other roles, the cluster's EKS API (access entries,
# associations), every Secrets Manager name under the platform's prefix (envs get their
# secrets through External Secrets, never with their own role) and the Terraform state bucket.
# Ref https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
# Ref https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
################################################################################

locals {
  project_boundary_name = "devfleet-${var.cluster_name}-project-boundary"

  # The Allow part: ops' boundary's own statements (so it stays an upper bound), else everything.
  # Statement may be one object or a list in a policy document.
  project_boundary_allow = jsondecode(
    var.iam.permissions_boundary == null ? jsonencode([{ Sid = "DevfleetAllowWithinPolicies", Effect = "Allow", Action = "*", Resource = "*" }])
    : can(keys(jsondecode(local.ops_boundary_document).Statement)) ? jsonencode([jsondecode(local.ops_boundary_document).Statement])
    : jsonencode(jsondecode(local.ops_boundary_document).Statement)
  )

  # The Denies: evaluated before any Allow, whatever the project's policies say.
  project_boundary_deny = [
    {
      Sid      = "DevfleetDenyIdentityChanges"
      Effect   = "Deny"
      Action   = ["iam:*", "organizations:*", "account:*", "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity"]
      Resource = "*"
    },
    {
      Sid      = "DevfleetDenyClusterApi"
      Effect   = "Deny"
      Action   = ["eks:*"]
      Resource = "*"
    },
    {
      Sid      = "DevfleetDenyPlatformSecrets"
      Effect   = "Deny"
      Action   = ["secretsmanager:*"]
      Resource = ["${local.secret_arn_base}${local.remote_key_prefix}*"]
    },
    {
      Sid      = "DevfleetDenyTerraformState"
      Effect   = "Deny"
      Action   = ["s3:*"]
      Resource = ["arn:${local.partition}:s3:::${var.terraform_state_bucket}", "arn:${local.partition}:s3:::${var.terraform_state_bucket}/*"]
    },
  ]

  project_boundary_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.project_boundary_allow, local.project_boundary_deny)
  })
}

# Ops' own boundary, if set: its statements become the Allow part of the boundary made here.
data "aws_iam_policy" "ops_boundary" {
  count = var.iam.permissions_boundary == null ? 0 : 1
  arn   = var.iam.permissions_boundary
}

locals {
  ops_boundary_document = var.iam.permissions_boundary == null ? null : data.aws_iam_policy.ops_boundary[0].policy
}

resource "aws_iam_policy" "project_boundary" {
  name        = local.project_boundary_name
  description = "devfleet ${var.cluster_name}: permissions boundary of every project role (no IAM, role assumption, EKS API, platform secrets or Terraform state)"
  policy      = local.project_boundary_policy

  tags = local.tags
}
