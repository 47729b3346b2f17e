################################################################################
# Who may reach the Telepresence traffic manager (namespace var.names.telepresence_namespace)
# The traffic manager does proxy: a client's tunnel asks it to open connections
# to cluster addresses on the client's behalf (the manager dials them), and every
# developer namespace admits it (generators/cluster/network-policy.ts), so whoever
# could open a client session could reach any env. Two things keep that to the
# developers themselves:
# - authentication: 2.31 with security.authentication.mode = "enforcing"
#   (addons.tf) refuses callers without a Kubernetes identity it verifies and
#   binds each session to it; env Pods carry no ServiceAccount token
#   (automountServiceAccountToken: false in the generated charts), so a
#   compromised env cannot open a session;
# - this policy: the manager's API port admits only the developer namespaces,
#   where the traffic agents `devfleet swap` injects call it from, and the agent
#   injector's webhook port admits the API server (EKS calls webhooks from ENIs in
#   the node subnets, which Pods share: no narrower peer exists; its failure
#   policy is Ignore and its answer goes back to the caller only). Laptops reach
#   the API port through `kubectl port-forward`, which enters the Pod's own network
#   namespace and is never subject to a NetworkPolicy. Nothing else (no other
#   platform namespace, no port of the auth-only x509 listener) is admitted.
# What stays open: an authenticated developer's tunnel can still ask the manager
# to dial another developer's env (docs/known-gaps.md).
# Ref https://github.com/telepresenceio/telepresence/pull/4217 (2.31: callers authenticated, sessions bound)
# Ref https://github.com/telepresenceio/telepresence/blob/release/v2/docs/v2.4/reference/tun-device.md (the manager dials for the client)
# Ref https://github.com/telepresenceio/telepresence/tree/v2.31.0/charts/telepresence-oss (apiPort 8081, agentInjector.webhook.port 8443, labels)
################################################################################

locals {
  # The chart's selector labels (`telepresence.selectorLabels`) and its default ports, which the
  # values in addons.tf keep.
  traffic_manager_pod_labels    = { app = "traffic-manager", telepresence = "manager" }
  traffic_manager_api_port      = 8081
  traffic_manager_injector_port = 8443

  telepresence_network_policies = [
    for p in [
      { name = "devfleet-default-deny-ingress", pods = {}, ingress = null },
      {
        name = "devfleet-traffic-manager", pods = local.traffic_manager_pod_labels, ingress = [
          {
            from  = [{ namespaceSelector = { matchExpressions = [{ key = var.keys.namespace_name, operator = "In", values = sort([for d in values(var.developers) : d.namespace]) }] } }]
            ports = [{ protocol = "TCP", port = local.traffic_manager_api_port }]
          },
          { ports = [{ protocol = "TCP", port = local.traffic_manager_injector_port }] },
        ]
      },
    ] :
    {
      apiVersion = "networking.k8s.io/v1"
      kind       = "NetworkPolicy"
      metadata   = { name = p.name, namespace = var.names.telepresence_namespace, labels = { (var.keys.part_of) = "devfleet", (var.keys.managed_by) = "terraform" } }
      # for-expressions instead of conditionals: the two branches would have different types.
      spec = merge(
        { podSelector = { for k, v in { matchLabels = p.pods } : k => v if length(v) > 0 }, policyTypes = ["Ingress"] },
        { for k, v in { ingress = p.ingress } : k => v if v != null },
      )
    }
  ]
}

resource "kubectl_manifest" "telepresence_network_policies" {
  for_each = { for p in local.telepresence_network_policies : p.metadata.name => yamlencode(p) }

  yaml_body = each.value

  # The namespace comes with the traffic manager's release.
  depends_on = [helm_release.telepresence]
}
