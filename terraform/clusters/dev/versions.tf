################################################################################
# Versions
# A root configuration pins every provider exactly; `terraform init` records the
# checksums in .terraform.lock.hcl, which is committed. Upgrade on purpose, one
# provider at a time, with `terraform init -upgrade` and a reviewed plan.
################################################################################

terraform {
  # 1.10: native S3 state locking (backend "s3" use_lockfile).
  required_version = ">= 1.10, < 2.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.46.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "3.0.2"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "2.38.0"
    }
    kubectl = {
      source  = "alekc/kubectl"
      version = "2.1.3"
    }
    # Used inside terraform-aws-modules/eks, not here: pinned so no module can float them.
    # tflint-ignore: terraform_unused_required_providers
    tls = {
      source  = "hashicorp/tls"
      version = "4.1.0"
    }
    # tflint-ignore: terraform_unused_required_providers
    time = {
      source  = "hashicorp/time"
      version = "0.13.1"
    }
    # tflint-ignore: terraform_unused_required_providers
    cloudinit = {
      source  = "hashicorp/cloudinit"
      version = "2.3.7"
    }
  }
}
