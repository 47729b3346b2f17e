################################################################################
# Cluster `dev`
# Inputs: devfleet.auto.tfvars.json (generated from clusters/dev.ts and projects/
# by `npx devfleet synth`; never edited) and terraform.tfvars (ops' choices: region,
# network, sizes). Everything is built by the shared module ../../modules/platform.
################################################################################

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}

# The Kubernetes-side providers authenticate with the caller's own IAM identity through
# `aws eks get-token` (AWS CLI v2 on the machine running Terraform), so no long-lived
# Kubernetes credential is ever stored in state.
provider "helm" {
  kubernetes = {
    host                   = module.platform.cluster_endpoint
    cluster_ca_certificate = base64decode(module.platform.cluster_certificate_authority_data)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.platform.cluster_name, "--region", var.region]
    }
  }
}

provider "kubernetes" {
  host                   = module.platform.cluster_endpoint
  cluster_ca_certificate = base64decode(module.platform.cluster_certificate_authority_data)

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.platform.cluster_name, "--region", var.region]
  }
}

provider "kubectl" {
  host                   = module.platform.cluster_endpoint
  cluster_ca_certificate = base64decode(module.platform.cluster_certificate_authority_data)
  load_config_file       = false
  apply_retry_count      = 5

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.platform.cluster_name, "--region", var.region]
  }
}

module "platform" {
  source = "../../modules/platform"

  # From devfleet.auto.tfvars.json (the cluster and project definitions).
  cluster_name              = var.cluster_name
  domain                    = var.domain
  names                     = var.names
  keys                      = var.keys
  gitops                    = var.gitops
  argocd                    = var.argocd
  ingress_scheme            = var.ingress_scheme
  access                    = var.access
  front_door                = var.front_door
  load_balancer_cidrs       = var.load_balancer_cidrs
  iam                       = var.iam
  external_secrets          = var.external_secrets
  admins                    = var.admins
  developers                = var.developers
  pod_identity_associations = var.pod_identity_associations

  # This checkout: the module reads names.root_app_path (clusters/dev/bootstrap/root.yaml) from it.
  repository_root = abspath("${path.root}/../../..")

  # From terraform.tfvars (ops).
  kubernetes_version           = var.kubernetes_version
  network                      = var.network
  endpoint_public_access_cidrs = var.endpoint_public_access_cidrs
  argocd_webhook               = var.argocd_webhook
  terraform_admin              = var.terraform_admin
  terraform_state_bucket       = var.terraform_state_bucket
  system_nodes                 = var.system_nodes
  karpenter                    = var.karpenter
  tags                         = var.tags
}

################################################################################
# Customer-managed policies of the bundled projects (projects/*.ts `aws.policies`),
# each scoped to its project's own resources and listed in clusters/dev.ts
# `aws.allowedPolicies`. Never an AWS-managed policy (arn:aws:iam::aws:policy/...):
# those are account-wide (AmazonS3ReadOnlyAccess reads every bucket, the Terraform
# state bucket included). The project roles that attach them are made long after
# (they wait for the cluster), so the policies exist by then.
################################################################################

# shop: read its product images, in one bucket.
data "aws_iam_policy_document" "shop_images_read" {
  statement {
    sid       = "ReadShopImages"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.shop_images_bucket}/*"]
  }

  statement {
    sid       = "ListShopImages"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.shop_images_bucket}"]
  }
}

resource "aws_iam_policy" "shop_images_read" {
  name        = "devfleet-${var.cluster_name}-shop-images-read"
  description = "devfleet ${var.cluster_name}: project shop reads its product images in s3://${var.shop_images_bucket}"
  policy      = data.aws_iam_policy_document.shop_images_read.json

  lifecycle {
    postcondition {
      # projects/shop.ts asks for this ARN; clusters/dev.ts must allow it.
      condition     = contains(var.iam.allowed_policies, self.arn)
      error_message = "${self.arn} is not in aws.allowedPolicies of clusters/dev.ts (iam.allowed_policies); add it there and run `npx devfleet synth`."
    }
  }
}
