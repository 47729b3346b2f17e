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
