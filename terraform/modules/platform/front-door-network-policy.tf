################################################################################
# Who may reach KEDA and the KEDA HTTP add-on (namespace `keda`)
# The interceptor forwards to whichever env the Host header names, around the
# developer namespaces' isolation and the load balancer's access guard, so only
# the load balancers' own subnets (var.load_balancer_cidrs, cluster definition
# `network.loadBalancerCidrs`; vpc.tf keeps nodes and Pods out of them) may reach
# its proxy port. Every other port of the namespace admits exactly its callers;
# everything else is denied. Neither chart ships such policies (the keda chart's
# optional ones admit every Pod of the cluster). Egress is not restricted.
# Ports and callers, as the pinned versions have them:
# - interceptor: proxy 8080 and admin 9090 (the ALB's health check, `/readyz`)
#   from the load balancers; admin 9090 from the add-on's scaler, which polls the
#   interceptors' queue counts (http-add-on scaler/queue_pinger.go);
# - add-on scaler: gRPC 9090 from the KEDA operator (every `external-push`
#   trigger; config/scaler/deployment.yaml);
# - KEDA operator: gRPC 9666 from KEDA's metrics API server (keda
#   config/manager/service.yaml);
# - KEDA metrics API server 6443 and admission webhooks 9443: from the
#   Kubernetes API server (keda config/metrics-server, config/webhooks).
#   EKS's control plane calls them from its ENIs in the node subnets, whose
#   addresses Pods share, so no peer narrower than "anyone" admits it; both
#   ports authenticate their callers themselves (delegated authentication, and
#   an admission review whose answer only goes back to the caller, failure
#   policy Ignore). Metrics ports are admitted to nobody (no Prometheus here).
# Kubelet probes come from the node, which policies never block.
# Ref https://kubernetes.io/docs/concepts/services-networking/network-policies/
# Ref https://github.com/kedacore/http-add-on/tree/v0.15.0/config
# Ref https://github.com/kedacore/keda/tree/v2.21.0/config
################################################################################

locals {
  # Pod labels of the charts' Deployments (keda-add-ons-http and keda at their pins), which tell
  # the components apart; the generated env policies use the interceptor's too
  # (generators/cluster/network-policy.ts INTERCEPTOR_POD_LABELS).
  keda_pods = {
    interceptor             = { (var.keys.component) = "interceptor", (var.keys.name) = "http-add-on" }
    http_scaler             = { (var.keys.component) = "scaler", (var.keys.name) = "http-add-on" }
    keda_operator           = { app = "keda-operator" }
    keda_metrics_apiserver  = { app = "keda-operator-metrics-apiserver" }
    keda_admission_webhooks = { app = "keda-admission-webhooks" }
  }
  keda_operator_grpc_port     = 9666
  keda_metrics_apiserver_port = 6443
  keda_webhooks_port          = 9443

  keda_network_policy_labels = {
    (var.keys.part_of)    = "devfleet"
    (var.keys.managed_by) = "terraform"
  }
  keda_load_balancer_peers = [for cidr in var.load_balancer_cidrs : { ipBlock = { cidr = cidr } }]
  keda_ports               = { for name, port in { proxy = local.interceptor_proxy_port, admin = local.interceptor_admin_port, scaler = local.http_scaler_port, grpc = local.keda_operator_grpc_port, metrics = local.keda_metrics_apiserver_port, webhooks = local.keda_webhooks_port } : name => { protocol = "TCP", port = port } }

  # Whole manifests (the tests evaluate them with a NetworkPolicy evaluator).
  keda_network_policies = [
    for p in [
      { name = "devfleet-default-deny-ingress", pods = {}, ingress = null },
      {
        name = "devfleet-interceptor", pods = local.keda_pods.interceptor, ingress = [
          { from = local.keda_load_balancer_peers, ports = [local.keda_ports.proxy, local.keda_ports.admin] },
          { from = [{ podSelector = { matchLabels = local.keda_pods.http_scaler } }], ports = [local.keda_ports.admin] },
        ]
      },
      { name = "devfleet-http-scaler", pods = local.keda_pods.http_scaler, ingress = [{ from = [{ podSelector = { matchLabels = local.keda_pods.keda_operator } }], ports = [local.keda_ports.scaler] }] },
      { name = "devfleet-keda-operator", pods = local.keda_pods.keda_operator, ingress = [{ from = [{ podSelector = { matchLabels = local.keda_pods.keda_metrics_apiserver } }], ports = [local.keda_ports.grpc] }] },
      { name = "devfleet-keda-metrics-apiserver", pods = local.keda_pods.keda_metrics_apiserver, ingress = [{ ports = [local.keda_ports.metrics] }] },
      { name = "devfleet-keda-admission-webhooks", pods = local.keda_pods.keda_admission_webhooks, ingress = [{ ports = [local.keda_ports.webhooks] }] },
    ] :
    {
      apiVersion = "networking.k8s.io/v1"
      kind       = "NetworkPolicy"
      metadata   = { name = p.name, namespace = local.keda_namespace, labels = local.keda_network_policy_labels }
      # for-expressions instead of conditionals: the two branches would have different types.
      spec = merge(
        { podSelector = { for k, v in { matchLabels = p.pods } : k => v if length(v) > 0 }, policyTypes = ["Ingress"] },
        { for k, v in { ingress = p.ingress } : k => v if v != null },
      )
    }
  ]
}

resource "kubectl_manifest" "keda_network_policies" {
  for_each = var.front_door.enabled ? { for p in local.keda_network_policies : p.metadata.name => yamlencode(p) } : {}

  yaml_body = each.value

  # The namespace comes with the KEDA release; the policies must be in place before the front
  # door's load balancer sends traffic.
  depends_on = [helm_release.keda]
}
