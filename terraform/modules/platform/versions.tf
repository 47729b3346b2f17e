################################################################################
# Versions
# A shared module states the range it works with; the root configurations in
# terraform/clusters/<cluster>/ pin exact versions (and commit .terraform.lock.hcl).
# Ref https://developer.hashicorp.com/terraform/language/modules/develop/providers#provider-version-constraints-in-modules
################################################################################

terraform {
  # 1.10: S3 native state locking (use_lockfile) in the roots.
  # 1.9: variable validations may refer to other variables (developers vs admins).
  required_version = ">= 1.10, < 2.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # terraform-aws-modules/eks 21.x needs AWS provider 6.x.
      version = ">= 6.36, < 7.0"
    }
    helm = {
      source = "hashicorp/helm"
      # 3.x: `kubernetes = {}` and `set = [...]` are attributes, not blocks.
      version = ">= 3.0.2, < 4.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.38, < 3.0"
    }
    kubectl = {
      # Applies manifests whose CRDs are installed in the same apply (Karpenter, Argo CD):
      # kubernetes_manifest needs the CRD at plan time, before the cluster even exists.
      # Ref https://github.com/alekc/terraform-provider-kubectl
      source  = "alekc/kubectl"
      version = ">= 2.1.3, < 3.0"
    }
  }
}

################################################################################
# Pinned chart versions
# tools/versions.env is the one home of every pinned version (the build scripts
# and tests read it too): NAME=value lines. Each chart takes ops' override
# (var.chart_versions) or its pin; KEDA's, the HTTP add-on's and External
# Secrets' charts are versioned like their apps (the pin without its "v").
################################################################################

locals {
  pins = { for pin in regexall("(?m)^([A-Z][A-Z0-9_]*)=([^\\s#]+)$", file("${path.module}/../../../tools/versions.env")) : pin[0] => pin[1] }

  chart_versions = {
    karpenter                    = coalesce(var.chart_versions.karpenter, local.pins.KARPENTER_CHART_VERSION)
    aws_load_balancer_controller = coalesce(var.chart_versions.aws_load_balancer_controller, local.pins.AWS_LOAD_BALANCER_CONTROLLER_CHART_VERSION)
    external_dns                 = coalesce(var.chart_versions.external_dns, local.pins.EXTERNAL_DNS_CHART_VERSION)
    argo_cd                      = coalesce(var.chart_versions.argo_cd, local.pins.ARGOCD_CHART_VERSION)
    headlamp                     = coalesce(var.chart_versions.headlamp, local.pins.HEADLAMP_CHART_VERSION)
    telepresence                 = coalesce(var.chart_versions.telepresence, local.pins.TELEPRESENCE_CHART_VERSION)
    keda                         = coalesce(var.chart_versions.keda, trimprefix(local.pins.KEDA_VERSION, "v"))
    keda_http_add_on             = coalesce(var.chart_versions.keda_http_add_on, trimprefix(local.pins.KEDA_HTTP_ADD_ON_VERSION, "v"))
    external_secrets             = coalesce(var.chart_versions.external_secrets, trimprefix(local.pins.EXTERNAL_SECRETS_VERSION, "v"))
  }
}
