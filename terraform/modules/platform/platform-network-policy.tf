################################################################################
# Who may reach Argo CD, External Secrets and Headlamp
# An env Pod must not reach the platform's internals: Argo CD's Redis cache (no
# password by default) and repo-server (renders any repository it is asked to),
# the External Secrets webhook, or Headlamp's Pod around the load balancer's
# access guard. Each namespace denies every ingress, then admits exactly each
# component's callers; argo-helm's own policies (`global.networkPolicy.create`)
# would admit every Pod to argocd-server, so they stay off and these replace them.
# Ports and callers, as the pinned charts have them:
# - argocd-redis 6379: argocd-server, the application controller, the repo-server;
# - argocd-repo-server 8081: argocd-server, the application controller, the
#   ApplicationSet and notifications controllers (as argo-helm's own policy);
# - argocd-server and the controllers: nobody in the cluster (ops use
#   `kubectl port-forward`, which enters the Pod through the kubelet); with
#   Argo CD's webhook on, argocd-server's port from the load balancers' subnets
#   (argocd-webhook.tf);
# - external-secrets-webhook 10250: the Kubernetes API server, which on EKS calls
#   from the control plane's ENIs in the node subnets, whose addresses Pods share;
#   the generated developer-namespace policies keep env Pods off that port
#   (generators/cluster/network-policy.ts WEBHOOK_PORT), and the webhook only
#   answers admission reviews;
# - headlamp 4466: the load balancers' own subnets (var.load_balancer_cidrs, as the
#   front door's interceptor), never a Pod.
# Metrics ports are admitted to nobody (no Prometheus here). Egress is not restricted.
# Kubelet probes come from the node, which policies never block.
# Ref https://kubernetes.io/docs/concepts/services-networking/network-policies/
# Ref https://github.com/argoproj/argo-helm/tree/main/charts/argo-cd/templates
################################################################################

locals {
  # Pod labels of the charts' Deployments: argo-cd (`<nameOverride argocd>-<component>`),
  # external-secrets, headlamp.
  argocd_pods = {
    for component in ["redis", "repo-server", "server", "application-controller", "applicationset-controller", "notifications-controller"] :
    component => { (var.keys.name) = "argocd-${component}" }
  }
  external_secrets_webhook_pods = { (var.keys.name) = "external-secrets-webhook" }
  headlamp_pods                 = { (var.keys.name) = "headlamp" }
  argocd_redis_port             = 6379
  argocd_repo_server_port       = 8081
  headlamp_port                 = 4466

  platform_network_policy_labels = {
    (var.keys.part_of)    = "devfleet"
    (var.keys.managed_by) = "terraform"
  }
  argocd_peers = { for component, labels in local.argocd_pods : component => { podSelector = { matchLabels = labels } } }

  # Whole manifests (the tests evaluate them with a NetworkPolicy evaluator).
  platform_network_policies = [
    for p in [
      { namespace = var.names.argocd_namespace, name = "devfleet-default-deny-ingress", pods = {}, ingress = null },
      {
        namespace = var.names.argocd_namespace, name = "devfleet-argocd-redis", pods = local.argocd_pods["redis"], ingress = [{
          from  = [local.argocd_peers["server"], local.argocd_peers["application-controller"], local.argocd_peers["repo-server"]]
          ports = [{ protocol = "TCP", port = local.argocd_redis_port }]
        }]
      },
      {
        namespace = var.names.argocd_namespace, name = "devfleet-argocd-repo-server", pods = local.argocd_pods["repo-server"], ingress = [{
          from  = [local.argocd_peers["server"], local.argocd_peers["application-controller"], local.argocd_peers["applicationset-controller"], local.argocd_peers["notifications-controller"]]
          ports = [{ protocol = "TCP", port = local.argocd_repo_server_port }]
        }]
      },
      { namespace = local.external_secrets_namespace, name = "devfleet-default-deny-ingress", pods = {}, ingress = null },
      {
        namespace = local.external_secrets_namespace, name = "devfleet-external-secrets-webhook", pods = local.external_secrets_webhook_pods,
        ingress   = [{ ports = [{ protocol = "TCP", port = local.external_secrets_webhook_port }] }]
      },
      { namespace = local.headlamp_namespace, name = "devfleet-default-deny-ingress", pods = {}, ingress = null },
      {
        namespace = local.headlamp_namespace, name = "devfleet-headlamp", pods = local.headlamp_pods, ingress = [{
          from  = [for cidr in var.load_balancer_cidrs : { ipBlock = { cidr = cidr } }]
          ports = [{ protocol = "TCP", port = local.headlamp_port }]
        }]
      },
    ] :
    {
      apiVersion = "networking.k8s.io/v1"
      kind       = "NetworkPolicy"
      metadata   = { name = p.name, namespace = p.namespace, labels = local.platform_network_policy_labels }
      # for-expressions instead of conditionals: the two branches would have different types.
      spec = merge(
        { podSelector = { for k, v in { matchLabels = p.pods } : k => v if length(v) > 0 }, policyTypes = ["Ingress"] },
        { for k, v in { ingress = p.ingress } : k => v if v != null },
      )
    }
  ]
}

resource "kubectl_manifest" "platform_network_policies" {
  for_each = { for p in local.platform_network_policies : "${p.metadata.namespace}/${p.metadata.name}" => yamlencode(p) }

  yaml_body = each.value

  # The namespaces come with the releases.
  depends_on = [helm_release.argocd, helm_release.external_secrets, helm_release.headlamp]
}
