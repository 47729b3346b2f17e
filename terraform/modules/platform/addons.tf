################################################################################
# Developer tools: Headlamp (dashboard) and Telepresence (traffic manager)
################################################################################

locals {
  headlamp_host = "headlamp.${var.domain}"
}

# Headlamp replaces the archived Kubernetes Dashboard. Developers sign in with a token
# (`aws eks get-token --cluster-name <cluster> | jq -r .status.token`): Headlamp acts with
# THEIR identity, so the generated RBAC (view and scale in developer namespaces) is all they
# can do; the chart's own cluster-admin binding is not created.
# Ref https://headlamp.dev/docs/latest/installation/in-cluster/
resource "helm_release" "headlamp" {
  name             = "headlamp"
  namespace        = "headlamp"
  create_namespace = true
  repository       = "https://kubernetes-sigs.github.io/headlamp/"
  chart            = "headlamp"
  version          = var.chart_versions.headlamp

  values = [yamlencode(merge(local.system_pod_placement, {
    clusterRoleBinding = { create = false }
    ingress = {
      enabled          = true
      ingressClassName = var.names.ingress_class
      annotations = {
        # Its own IngressGroup (one ALB), so the envs' groups keep their full capacity.
        "alb.ingress.kubernetes.io/group.name"   = "devfleet-${var.cluster_name}-platform"
        "alb.ingress.kubernetes.io/scheme"       = var.ingress_scheme
        "alb.ingress.kubernetes.io/target-type"  = "ip"
        "alb.ingress.kubernetes.io/listen-ports" = "[{\"HTTP\": 80}, {\"HTTPS\": 443}]"
        "alb.ingress.kubernetes.io/ssl-redirect" = "443"
        "alb.ingress.kubernetes.io/ssl-policy"   = "ELBSecurityPolicy-TLS13-1-2-2021-06"
      }
      hosts = [{
        host  = local.headlamp_host
        paths = [{ path = "/", type = "Prefix" }]
      }]
    }
  }))]

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
  version          = var.chart_versions.telepresence

  values = [yamlencode(merge(local.system_pod_placement, {
    # Since 2.31 the traffic manager checks every caller's Kubernetes identity (SubjectAccessReview)
    # against RBAC, which is what makes the generated per-developer grants mean anything.
    # Ref https://github.com/telepresenceio/telepresence/discussions/4219
    security = { authentication = { mode = "enforcing" } }
  }))]

  depends_on = [helm_release.karpenter]
}
