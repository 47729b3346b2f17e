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
  gitops                    = var.gitops
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
  system_nodes                 = var.system_nodes
  karpenter                    = var.karpenter
  tags                         = var.tags
}
