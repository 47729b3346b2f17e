################################################################################
# DNS and TLS
# One wildcard certificate `*.<domain>` serves every env: each env host is a single
# DNS label under the cluster domain. External DNS writes the env hosts' records.
################################################################################

# The public hosted zone of the cluster domain: created once by ops (or delegated from the
# parent zone) before the first apply, because ACM validates the certificate through it.
data "aws_route53_zone" "cluster" {
  name         = var.domain
  private_zone = false
}

resource "aws_acm_certificate" "wildcard" {
  #checkov:skip=CKV2_AWS_71: the wildcard is the design: every env host is one DNS label under the cluster's own development subdomain, so one certificate serves the whole fleet and the 25-certificates-per-ALB quota never binds; it covers no production name.
  domain_name       = "*.${var.domain}"
  validation_method = "DNS"

  tags = merge(local.tags, { Name = "*.${var.domain}" })

  lifecycle {
    # A replacement is issued and validated before the old certificate goes, so ALBs never lose theirs.
    create_before_destroy = true
  }
}

resource "aws_route53_record" "wildcard_validation" {
  for_each = {
    for option in aws_acm_certificate.wildcard.domain_validation_options : option.domain_name => {
      name   = option.resource_record_name
      type   = option.resource_record_type
      record = option.resource_record_value
    }
  }

  zone_id         = data.aws_route53_zone.cluster.zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.record]
  ttl             = 300
  allow_overwrite = true
}

# The load balancer controller only discovers ISSUED certificates: wait for validation.
resource "aws_acm_certificate_validation" "wildcard" {
  certificate_arn         = aws_acm_certificate.wildcard.arn
  validation_record_fqdns = [for record in aws_route53_record.wildcard_validation : record.fqdn]
}

locals {
  external_dns_namespace       = "kube-system"
  external_dns_service_account = "external-dns"
}

module "external_dns_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.6.0"
  #checkov:skip=CKV_TF_1: a Terraform Registry source cannot take a commit hash (only git:: sources can); the version is pinned exactly instead, as terraform-aws-modules publish it.

  name                          = "${var.cluster_name}-external-dns"
  attach_external_dns_policy    = true
  external_dns_hosted_zone_arns = [data.aws_route53_zone.cluster.arn]

  # Only this account's cluster may hand the role to a pod (confused-deputy protection), as for envs.
  trust_policy_conditions = [
    { test = "StringEquals", variable = "aws:SourceAccount", values = [local.account_id] },
    { test = "ArnEquals", variable = "aws:SourceArn", values = [module.eks.cluster_arn] },
  ]

  associations = {
    controller = {
      cluster_name    = module.eks.cluster_name
      namespace       = local.external_dns_namespace
      service_account = local.external_dns_service_account
    }
  }

  tags = local.tags
}

resource "helm_release" "external_dns" {
  name       = "external-dns"
  namespace  = local.external_dns_namespace
  repository = "https://kubernetes-sigs.github.io/external-dns/"
  chart      = "external-dns"
  version    = local.chart_versions.external_dns

  values = [yamlencode(merge(local.system_pod_placement, {
    provider = { name = "aws" }
    sources  = ["ingress"]
    # Only the cluster's zone, and only records this cluster created (TXT ownership records):
    # `sync` removes the records of envs that are gone without touching anyone else's.
    domainFilters = [var.domain]
    policy        = "sync"
    registry      = "txt"
    txtOwnerId    = var.cluster_name
    serviceAccount = {
      create = true
      name   = local.external_dns_service_account
    }
  }))]

  depends_on = [module.external_dns_pod_identity, helm_release.karpenter]
}
