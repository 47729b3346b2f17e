################################################################################
# Argo CD's Git webhook (opt-in: var.argocd_webhook.enabled, default off)
# Without it Argo CD finds a new commit by polling (timeout.reconciliation, 3-4 minutes);
# with it, GitHub's push event makes Argo CD refresh the Applications of the pushed branch in
# seconds. What this exposes, and only when enabled:
# - exactly argocd-server's `/api/webhook` (an Exact path rule on one host; every other path
#   and host gets the load balancer's 404, so neither the UI nor the API is reachable), on an
#   internet-facing ALB of its own (its own IngressClass, IngressClassParams and IngressGroup,
#   which admit Argo CD's namespace only: no env Ingress can join it, and the env and platform
#   classes keep their access guard), HTTPS only, open to GitHub's webhook ranges only
#   (var.argocd_webhook.source_cidrs, from https://api.github.com/meta `hooks`), with the
#   hardening attributes of every ALB of the cluster (invalid header fields dropped, access logs);
# - Argo CD checks every payload's HMAC signature (X-Hub-Signature-256) against
#   `webhook.github.secret` of argocd-secret and refuses an unsigned or wrongly signed one
#   (400); External Secrets copies that key from AWS Secrets Manager (`<remote_key_prefix>argocd-webhook`)
#   through the platform store, so the secret is never in Git or in the Terraform state, and
#   the Ingress is created only once the key is in place (argocd-server reloads it itself).
# A payload can do no more than make Argo CD refresh Applications of this repository (it
# names a repository and a branch; Argo CD then fetches from Git itself).
# Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/webhook/
# Ref https://github.com/argoproj/argo-cd/blob/v3.6.1/util/webhook/webhook.go (Handler: github.Parse verifies the HMAC when the secret is set)
# Ref https://docs.github.com/en/rest/meta/meta#get-github-meta-information (`hooks`)
################################################################################

locals {
  argocd_webhook_enabled = var.argocd_webhook.enabled
  # This Ingress's guard instead of local.access_guarded (it must be internet-facing, whatever the
  # cluster's access): GitHub's ranges, never the whole internet. Checked again at plan time.
  argocd_webhook_guarded = length(var.argocd_webhook.source_cidrs) > 0 && length(setintersection(var.argocd_webhook.source_cidrs, ["0.0.0.0/0", "::/0"])) == 0
  # No env Ingress may serve this host (generators/plan/names.ts ARGOCD_WEBHOOK_HOST_LABEL, the env Ingress policy).
  argocd_webhook_host = "argocd-webhook.${var.domain}"
  argocd_webhook_path = "/api/webhook"
  argocd_webhook_url  = "https://${local.argocd_webhook_host}${local.argocd_webhook_path}"
  # The IngressClass, its IngressClassParams and the IngressGroup (one ALB): 9 + 20 + 15 characters at most.
  argocd_webhook_class = "devfleet-${var.cluster_name}-argocd-webhook"
  # A platform secret: one path segment under the prefix, so the env store's role is denied it and
  # every project role's permissions boundary too (external-secrets.tf, permissions-boundary.tf).
  argocd_webhook_secret_name = "${local.remote_key_prefix}argocd-webhook"
  argocd_webhook_secret_arns = local.argocd_webhook_enabled ? ["${local.secret_arn_base}${local.argocd_webhook_secret_name}-??????"] : []

  # argo-helm's Service of argocd-server (`<nameOverride argocd>-server`): port 443 to the
  # container's 8080, where argocd-server answers HTTPS with its own certificate (the load
  # balancer does not verify target certificates).
  argocd_server_service   = "argocd-server"
  argocd_server_port      = 443
  argocd_server_container = 8080

  argocd_webhook_ingress_class_params = {
    apiVersion = "elbv2.k8s.aws/v1beta1"
    kind       = "IngressClassParams"
    metadata = {
      name   = local.argocd_webhook_class
      labels = { (var.keys.part_of) = "devfleet", (var.keys.managed_by) = "terraform" }
    }
    spec = {
      # GitHub's servers are on the internet; only their ranges get past the load balancer's security group.
      scheme       = "internet-facing"
      inboundCIDRs = var.argocd_webhook.source_cidrs
      subnets      = { ids = local.public_subnet_ids }
      # Argo CD's namespace only (Terraform's, no developer's), in a group of its own.
      namespaceSelector      = { matchExpressions = [{ key = var.keys.namespace_name, operator = "In", values = [var.names.argocd_namespace] }] }
      group                  = { name = local.argocd_webhook_class }
      loadBalancerAttributes = local.alb_security_attributes
    }
  }

  argocd_webhook_annotations = {
    # HTTPS only: no port 80 listener at all.
    (var.keys.alb_listen_ports)     = jsonencode([{ HTTPS = 443 }])
    (var.keys.alb_ssl_policy)       = local.alb_tls_annotations[var.keys.alb_ssl_policy]
    (var.keys.alb_certificate_arn)  = local.alb_tls_annotations[var.keys.alb_certificate_arn]
    (var.keys.alb_target_type)      = "ip"
    (var.keys.alb_backend_protocol) = "HTTPS"
    (var.keys.alb_healthcheck_path) = "/healthz"
  }

  # The one key of argocd-secret that devfleet adds; the chart owns the Secret and its other keys.
  # Secrets Manager holds the webhook secret as a plain string (SecretString).
  argocd_webhook_external_secret = {
    apiVersion = "external-secrets.io/v1"
    kind       = "ExternalSecret"
    metadata = {
      name      = "devfleet-argocd-webhook"
      namespace = var.names.argocd_namespace
      labels    = { (var.keys.part_of) = "devfleet", (var.keys.managed_by) = "terraform" }
    }
    spec = {
      refreshInterval = "1h"
      secretStoreRef  = { kind = "ClusterSecretStore", name = local.platform_secret_store_name }
      target          = { name = "argocd-secret", creationPolicy = "Merge" }
      data            = [{ secretKey = "webhook.github.secret", remoteRef = { key = local.argocd_webhook_secret_name } }]
    }
  }

  # The load balancers' own subnets reach argocd-server's container port, as they reach Headlamp
  # (platform-network-policy.tf denies everything else in the namespace); only this Ingress's
  # ALB has argocd-server as a target.
  argocd_webhook_network_policy = {
    apiVersion = "networking.k8s.io/v1"
    kind       = "NetworkPolicy"
    metadata   = { name = "devfleet-argocd-server-webhook", namespace = var.names.argocd_namespace, labels = local.platform_network_policy_labels }
    spec = {
      podSelector = { matchLabels = local.argocd_pods["server"] }
      policyTypes = ["Ingress"]
      ingress = [{
        from  = [for cidr in var.load_balancer_cidrs : { ipBlock = { cidr = cidr } }]
        ports = [{ protocol = "TCP", port = local.argocd_server_container }]
      }]
    }
  }

  # For ops (output argocd_webhook): the repository's owner/name when it is on github.com.
  argocd_webhook_repository = try(regex("github\\.com[:/]([^/]+/[^/]+?)(\\.git)?/?$", var.gitops.repo_url)[0], "<owner>/<repo>")
}

resource "kubectl_manifest" "argocd_webhook_secret" {
  count = local.argocd_webhook_enabled ? 1 : 0

  yaml_body         = yamlencode(local.argocd_webhook_external_secret)
  server_side_apply = true

  # Ready once the key is in argocd-secret: until then argocd-server would accept unsigned payloads,
  # so the Ingress below waits for it.
  wait_for {
    condition {
      type   = "Ready"
      status = "True"
    }
  }

  depends_on = [kubectl_manifest.platform_secret_store, helm_release.argocd]
}

resource "kubectl_manifest" "argocd_webhook_network_policy" {
  count = local.argocd_webhook_enabled ? 1 : 0

  yaml_body = yamlencode(local.argocd_webhook_network_policy)

  depends_on = [helm_release.argocd]
}

resource "kubectl_manifest" "argocd_webhook_ingress_class_params" {
  count = local.argocd_webhook_enabled ? 1 : 0

  yaml_body         = yamlencode(local.argocd_webhook_ingress_class_params)
  server_side_apply = true

  # The IngressClassParams CRD comes with the controller's chart.
  depends_on = [helm_release.aws_load_balancer_controller]
}

resource "kubernetes_ingress_class_v1" "argocd_webhook" {
  count = local.argocd_webhook_enabled ? 1 : 0

  metadata {
    name   = local.argocd_webhook_class
    labels = { (var.keys.part_of) = "devfleet", (var.keys.managed_by) = "terraform" }
  }

  spec {
    controller = "ingress.k8s.aws/alb"
    parameters {
      api_group = "elbv2.k8s.aws"
      kind      = "IngressClassParams"
      name      = local.argocd_webhook_class
    }
  }

  depends_on = [kubectl_manifest.argocd_webhook_ingress_class_params]
}

resource "kubernetes_ingress_v1" "argocd_webhook" {
  count = local.argocd_webhook_enabled ? 1 : 0

  metadata {
    name      = "devfleet-argocd-webhook"
    namespace = var.names.argocd_namespace
    labels = {
      (var.keys.name)       = "devfleet-argocd-webhook"
      (var.keys.part_of)    = "devfleet"
      (var.keys.managed_by) = "terraform"
    }
    annotations = local.argocd_webhook_annotations
  }

  spec {
    ingress_class_name = kubernetes_ingress_class_v1.argocd_webhook[0].metadata[0].name

    rule {
      host = local.argocd_webhook_host
      http {
        path {
          # Exact: /api/webhook and nothing under or beside it.
          path      = local.argocd_webhook_path
          path_type = "Exact"
          backend {
            service {
              name = local.argocd_server_service
              port {
                number = local.argocd_server_port
              }
            }
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = local.argocd_webhook_guarded
      error_message = "Argo CD's webhook would be open to the whole internet: set argocd_webhook.source_cidrs to GitHub's webhook ranges (the \"hooks\" of https://api.github.com/meta), never 0.0.0.0/0."
    }
  }

  depends_on = [kubectl_manifest.argocd_webhook_secret, kubectl_manifest.argocd_webhook_network_policy, helm_release.aws_load_balancer_controller, aws_acm_certificate_validation.wildcard]
}
