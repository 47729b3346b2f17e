################################################################################
# EKS Pod Identity for envs
# A project that declares `aws.policies` gets one IAM role; each of its envs gets one
# association binding that role to the env's ServiceAccount (named after the project)
# in the developer's namespace. Sessions carry the tags kubernetes-namespace and
# kubernetes-service-account, so a policy can keep developers' data apart with
# `${aws:PrincipalTag/kubernetes-namespace}`. Ops bound what projects may ask for with
# `iam.allowed_policies` (an empty list allows no policy, as in `devfleet validate`); every
# project role carries the boundary of permissions-boundary.tf. The platform's own controller roles
# (load balancer, DNS, EFS, External Secrets) have fixed policies written here and no boundary.
# The agent itself is the eks-pod-identity-agent add-on (eks.tf).
# Ref https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html
# Ref https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html
################################################################################

locals {
  # project => policy ARNs (the same for every env of a project: they come from one definition).
  project_policies = {
    for project, lists in { for a in values(var.pod_identity_associations) : a.project => a.policies... } :
    project => sort(distinct(flatten(lists)))
  }

  # project => its IAM role name, computed by devfleet (generators/plan/names.ts: devfleet-<cluster>--<project>,
  # shortened with a hash when longer than IAM's 64 characters); the same in every association of a project.
  project_role_names = { for a in values(var.pod_identity_associations) : a.project => a.role_name... }

  project_policy_attachments = merge([
    for project, policies in local.project_policies : {
      for policy in policies : "${project} ${policy}" => { project = project, policy_arn = policy }
    }
  ]...)
}

data "aws_iam_policy_document" "env_pod_identity_trust" {
  statement {
    sid     = "EksPodIdentity"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }

    # Only this account's cluster may hand these roles to pods (confused-deputy protection).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [module.eks.cluster_arn]
    }
  }
}

resource "aws_iam_role" "project" {
  for_each = local.project_policies

  name                 = local.project_role_names[each.key][0]
  description          = "devfleet project ${each.key}: AWS access of its envs in cluster ${var.cluster_name} (EKS Pod Identity)"
  assume_role_policy   = data.aws_iam_policy_document.env_pod_identity_trust.json
  max_session_duration = 3600
  # Always the boundary Terraform makes (permissions-boundary.tf): whatever policies a project
  # asks for, the role can do no more than this (ops' iam.permissions_boundary is inside it).
  # Ref https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
  permissions_boundary = aws_iam_policy.project_boundary.arn

  tags = merge(local.tags, { (var.keys.project) = each.key })
}

resource "aws_iam_role_policy_attachment" "project" {
  for_each = local.project_policy_attachments

  role       = aws_iam_role.project[each.value.project].name
  policy_arn = each.value.policy_arn

  lifecycle {
    precondition {
      # Only listed policies: an empty list allows none (the rule of `devfleet validate`).
      condition     = contains(var.iam.allowed_policies, each.value.policy_arn)
      error_message = "Project ${each.value.project} asks for ${each.value.policy_arn}, which is not in iam.allowed_policies${length(var.iam.allowed_policies) == 0 ? " (empty: no policy is allowed)" : ""}."
    }
  }
}

resource "aws_eks_pod_identity_association" "env" {
  for_each = var.pod_identity_associations

  cluster_name    = module.eks.cluster_name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.project[each.value.project].arn

  tags = merge(local.tags, { (var.keys.project) = each.value.project })

  lifecycle {
    precondition {
      # Second line of defence behind `devfleet validate`: a tfvars edited by hand, or generated
      # before ops narrowed the list, cannot grant a policy ops did not allow. An empty list
      # allows none, as in `devfleet validate` (generators/definitions/check-iam.ts).
      condition     = length(setsubtract(each.value.policies, var.iam.allowed_policies)) == 0
      error_message = "Project ${each.value.project} (${each.key}) asks for ${join(", ", setsubtract(each.value.policies, var.iam.allowed_policies))}, not in iam.allowed_policies${length(var.iam.allowed_policies) == 0 ? " (empty: no policy is allowed)" : ""}; change the project's aws.policies or ask ops to allow the policy in the cluster definition's aws.allowedPolicies."
    }
  }
}
