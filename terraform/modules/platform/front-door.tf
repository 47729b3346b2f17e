################################################################################
# Front door: one load balancer for every env, wake on request
# KEDA scales each env between 0 and 1; the KEDA HTTP add-on's interceptor receives every
# env request behind ONE ALB (one Ingress, one target group, host `*.<domain>`), routes it by
# Host to the env's InterceptorRoute, holds it (or serves the env's placeholder page) while
# the env scales up, and reports traffic so KEDA scales the env back to zero when quiet.
# Per env, the generated chart holds the InterceptorRoute and ScaledObject; nothing per env
# is created here. With front_door.enabled = false, envs keep their own Ingresses in ALB
# IngressGroups (terraform/README.md compares the two).
# Ref https://keda.sh/deploy
# Ref https://github.com/kedacore/charts/tree/main/http-add-on
################################################################################

locals {
  keda_namespace = "keda"

  # Object names the add-on chart derives from its own name (`{{ .Chart.Name }}-<service>`),
  # with the chart's default service names and ports, which the values below keep.
  interceptor_proxy_service = "keda-add-ons-http-interceptor-proxy"
  interceptor_proxy_port    = 8080
  interceptor_admin_port    = 9090
  # The add-on scaler's gRPC port (chart value scaler.grpcPort, default kept).
  http_scaler_port = 9090
  # Where a generated ScaledObject's `external-push` trigger finds the add-on's scaler
  # (`scalerAddress`, with `interceptorRoute: <name>` in the same trigger's metadata).
  http_scaler_address = "keda-add-ons-http-external-scaler.${local.keda_namespace}:${local.http_scaler_port}"

  front_door_host = coalesce(var.front_door.host, "*.${var.domain}")
}

resource "helm_release" "keda" {
  count = var.front_door.enabled ? 1 : 0

  name             = "keda"
  namespace        = local.keda_namespace
  create_namespace = true
  repository       = "https://kedacore.github.io/charts"
  chart            = "keda"
  version          = local.chart_versions.keda

  values = [yamlencode(merge(local.system_pod_placement, {
    clusterName = var.cluster_name
    # KEDA_RESTRICT_SECRET_ACCESS: the operator reads Secrets in its own namespace only. Otherwise it
    # resolves the env Secrets of every env Deployment's first container (none of the generated
    # triggers needs them) and refuses to scale an env while one is missing, e.g. before External
    # Secrets has made it; seen with the pinned KEDA; test/integration/front-door.test.ts runs KEDA so restricted.
    # Ref https://github.com/kedacore/keda/blob/v2.21.0/pkg/scaling/resolver/scale_resolvers.go (readSecrets)
    # Ref https://github.com/kedacore/charts/tree/main/keda (values: permissions.operator.restrict.secret)
    permissions = { operator = { restrict = { secret = true } } }
  }))]

  depends_on = [helm_release.karpenter]
}

locals {
  # The add-on's chart values (a local, so the tests can render the chart with exactly these).
  keda_http_add_on_values = {
    # The operator and the scaler are small Go controllers: 100m each instead of the chart's 250m,
    # so the add-on fits on the two system nodes next to Argo CD and the other controllers.
    operator = merge(local.system_pod_placement, { resources = { requests = { cpu = "100m", memory = "64Mi" }, limits = { memory = "256Mi" } } })
    # The scaler answers KEDA for every env: two replicas keep wake-up working through a node loss
    # (the chart's three are sized for production traffic).
    scaler = merge(local.system_pod_placement, {
      replicas  = 2
      resources = { requests = { cpu = "100m", memory = "64Mi" }, limits = { memory = "256Mi" } }
    })
    interceptor = merge(local.system_pod_placement, {
      # On the on-demand system nodes: the interceptor is the one always-on hop of every request.
      # The add-on scales it on pending requests between `min` and `max` with its own ScaledObject.
      # A dev fleet's traffic is a few requests per second per active developer; two replicas, one per
      # system node, survive a node loss, and the ceiling only matters for load tests.
      replicas = {
        min = var.front_door.interceptor.replicas
        max = var.front_door.interceptor.max_replicas
      }
      resources = {
        requests = { cpu = var.front_door.interceptor.cpu, memory = var.front_door.interceptor.memory }
        # Memory capped at the request (an OOM-kill restarts one replica, never starves the node);
        # no CPU limit, so a burst of wake-ups is not throttled (null removes the chart's 0.5).
        limits = { cpu = null, memory = var.front_door.interceptor.memory }
      }
      proxy = { service = "interceptor-proxy", port = local.interceptor_proxy_port }
      admin = { service = "interceptor-admin", port = local.interceptor_admin_port }
    })
  }
}

resource "helm_release" "keda_http_add_on" {
  count = var.front_door.enabled ? 1 : 0

  name       = "http-add-on"
  namespace  = local.keda_namespace
  repository = "https://kedacore.github.io/charts"
  chart      = "keda-add-ons-http"
  version    = local.chart_versions.keda_http_add_on

  values = [yamlencode(local.keda_http_add_on_values)]

  # The add-on's own ScaledObject (for the interceptor) needs KEDA's CRDs and operator first.
  depends_on = [helm_release.keda]
}

# The one Ingress of the front door: every env host, one target group (the interceptor pods).
resource "kubernetes_ingress_v1" "front_door" {
  count = var.front_door.enabled ? 1 : 0

  metadata {
    name      = "devfleet-front-door"
    namespace = local.keda_namespace
    labels = {
      (var.keys.name)       = "devfleet-front-door"
      (var.keys.part_of)    = "devfleet"
      (var.keys.managed_by) = "terraform"
    }
    annotations = merge(local.platform_alb_annotations, {
      # Evaluated after Headlamp's exact host in the same ALB: the wildcard rule comes last.
      (var.keys.alb_group_order) = "1000"
      # The proxy answers only hosts that have a route, so the ALB checks the readiness endpoint on
      # the admin port, which also turns unready while an interceptor drains on shutdown.
      (var.keys.alb_healthcheck_port) = tostring(local.interceptor_admin_port)
      (var.keys.alb_healthcheck_path) = "/readyz"
      # In the load balancers' own subnets, named outright (discovery by role tag would pick these
      # too, unless ops tag other subnets of a shared VPC): the interceptor admits only their range.
      # Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#subnets
      (var.keys.alb_subnets) = join(",", local.alb_subnet_ids)
    })
  }

  spec {
    ingress_class_name = kubernetes_ingress_class_v1.platform.metadata[0].name

    rule {
      host = local.front_door_host
      http {
        path {
          path      = "/"
          path_type = "Prefix"
          backend {
            service {
              name = local.interceptor_proxy_service
              port {
                number = local.interceptor_proxy_port
              }
            }
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = local.access_guarded
      error_message = "The front door would be internet-facing without a guard: set access.source_cidrs (not 0.0.0.0/0) or access.sso, or access.scheme = \"internal\"."
    }
  }

  depends_on = [helm_release.keda_http_add_on, helm_release.aws_load_balancer_controller, aws_acm_certificate_validation.wildcard, kubectl_manifest.keda_network_policies]
}
