################################################################################
# Developer tools: Headlamp (dashboard) and Telepresence (traffic manager)
################################################################################

locals {
  headlamp_host      = "headlamp.${var.domain}"
  headlamp_namespace = "headlamp"
}

# Headlamp replaces the archived Kubernetes Dashboard. Developers sign in with a token
# (`aws eks get-token --cluster-name <cluster> | jq -r .status.token`): Headlamp acts with
# THEIR identity, so the generated RBAC (view and scale in developer namespaces) is all they
# can do; the chart's own cluster-admin binding is not created. Its Ingress carries the same
# access guard as the front door and shares its load balancer (one IngressGroup, one ALB).
# Ref https://headlamp.dev/docs/latest/installation/in-cluster/
resource "helm_release" "headlamp" {
  name             = "headlamp"
  namespace        = local.headlamp_namespace
  create_namespace = true
  repository       = "https://kubernetes-sigs.github.io/headlamp/"
  chart            = "headlamp"
  version          = local.chart_versions.headlamp

  values = [yamlencode(merge(local.system_pod_placement, {
    clusterRoleBinding = { create = false }
    ingress = {
      enabled          = true
      ingressClassName = kubernetes_ingress_class_v1.platform.metadata[0].name
      annotations      = local.platform_alb_annotations
      hosts = [{
        host  = local.headlamp_host
        paths = [{ path = "/", type = "Prefix" }]
      }]
    }
  }))]

  lifecycle {
    precondition {
      condition     = local.access_guarded
      error_message = "Headlamp would be internet-facing without a guard: set access.source_cidrs (not 0.0.0.0/0) or access.sso, or access.scheme = \"internal\"."
    }
  }

  depends_on = [helm_release.aws_load_balancer_controller, aws_acm_certificate_validation.wildcard]
}

# The traffic manager `devfleet swap` (telepresence replace) talks to, in the namespace the
# generated RBAC grants developers a connection to.
# Ref https://telepresence.io/docs/install/manager
resource "helm_release" "telepresence" {
  name             = "traffic-manager"
  namespace        = var.names.telepresence_namespace
  create_namespace = true
  repository       = "oci://ghcr.io/telepresenceio"
  chart            = "telepresence-oss"
  version          = local.chart_versions.telepresence

  values = [yamlencode(merge(local.system_pod_placement, {
    # Since 2.31 the traffic manager checks every caller's Kubernetes identity (SubjectAccessReview)
    # against RBAC, which is what makes the generated per-developer grants mean anything.
    # Ref https://github.com/telepresenceio/telepresence/discussions/4219
    security = { authentication = { mode = "enforcing" } }
  }))]

  depends_on = [helm_release.karpenter]
}
