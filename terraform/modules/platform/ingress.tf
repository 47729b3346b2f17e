################################################################################
# AWS Load Balancer Controller
# Creates the IngressClass every env Ingress names, and one ALB per IngressGroup
# (the IngressGroup annotation, `keys.alb_group_name`), finding the wildcard certificate by host.
# Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/
################################################################################

locals {
  lb_controller_namespace       = "kube-system"
  lb_controller_service_account = "aws-load-balancer-controller"

  # Two IngressClasses, each with IngressClassParams that the controller enforces over any
  # annotation: `scheme` and `inboundCIDRs` are the access guard's (an Ingress cannot make its
  # load balancer internet-facing or open it wider), and `namespaceSelector` says who may use the
  # class. The env class (var.names.ingress_class) admits the developer namespaces only; the
  # platform class admits only the namespaces of Terraform's own Ingresses (the front door,
  # Headlamp) and fixes their IngressGroup, so no developer namespace can use it. An env Ingress
  # naming the platform group in an annotation is refused by the generated admission policy
  # (generators/cluster/ingress-policy.ts): the controller groups Ingresses by name across classes.
  # Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/#ingressclassparams-specification
  # `subnets` puts every ALB of both classes in the load balancers' own subnets (vpc.tf), the
  # only range the NetworkPolicies admit as load balancers, whatever else a shared VPC tags.
  ingress_class_params_guard = merge(
    { scheme = local.access.scheme, subnets = { ids = local.alb_subnet_ids } },
    # Unset, the controller takes the annotation (or 0.0.0.0/0): acceptable only where
    # local.access_guarded holds without CIDRs (internal, or SSO).
    length(local.access.source_cidrs) > 0 ? { inboundCIDRs = local.access.source_cidrs } : {},
  )
  developer_namespaces = sort([for developer in var.developers : developer.namespace])
  env_ingress_class_params_spec = merge(local.ingress_class_params_guard, {
    loadBalancerAttributes = local.alb_security_attributes
    namespaceSelector = {
      matchExpressions = [length(local.developer_namespaces) > 0 ?
        { key = var.keys.namespace_name, operator = "In", values = local.developer_namespaces } :
        # No developer: a label no namespace carries (an empty `In` is invalid), so the class admits none.
        { key = var.keys.no_developer, operator = "In", values = ["true"] }
      ]
    }
  })

  platform_ingress_class      = "devfleet-${var.cluster_name}-platform"
  platform_ingress_namespaces = compact([var.front_door.enabled ? local.keda_namespace : "", local.headlamp_namespace])
  platform_ingress_class_params = {
    apiVersion = "elbv2.k8s.aws/v1beta1"
    kind       = "IngressClassParams"
    metadata = {
      name   = local.platform_ingress_class
      labels = { (var.keys.part_of) = "devfleet", (var.keys.managed_by) = "terraform" }
    }
    spec = merge(local.ingress_class_params_guard, {
      namespaceSelector = { matchExpressions = [{ key = var.keys.namespace_name, operator = "In", values = local.platform_ingress_namespaces }] }
      group             = { name = local.platform_alb_group }
      # With attributes in the class, the controller ignores the Ingresses' annotation.
      loadBalancerAttributes = local.platform_alb_attributes
    })
  }
}

# The controller's IAM policy as upstream publishes it, on a role the controller assumes via Pod Identity.
module "lb_controller_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.6.0"
  #checkov:skip=CKV_TF_1: a Terraform Registry source cannot take a commit hash (only git:: sources can); the version is pinned exactly instead, as terraform-aws-modules publish it.

  # The module makes it a name prefix, which IAM limits to 38 characters: 20 + 8 + 1 at most.
  name                            = "${var.cluster_name}-aws-lbc"
  attach_aws_lb_controller_policy = true

  # Only this account's cluster may hand the role to a pod (confused-deputy protection), as for envs.
  trust_policy_conditions = [
    { test = "StringEquals", variable = "aws:SourceAccount", values = [local.account_id] },
    { test = "ArnEquals", variable = "aws:SourceArn", values = [module.eks.cluster_arn] },
  ]

  associations = {
    controller = {
      cluster_name    = module.eks.cluster_name
      namespace       = local.lb_controller_namespace
      service_account = local.lb_controller_service_account
    }
  }

  tags = local.tags
}

resource "helm_release" "aws_load_balancer_controller" {
  name       = "aws-load-balancer-controller"
  namespace  = local.lb_controller_namespace
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = local.chart_versions.aws_load_balancer_controller

  values = [yamlencode(merge(local.system_pod_placement, {
    clusterName = module.eks.cluster_name
    # Given explicitly: with IMDSv2 and one hop, pods cannot ask the instance metadata for them.
    region = local.region
    vpcId  = local.vpc_id
    serviceAccount = {
      name = local.lb_controller_service_account
    }
    # The IngressClass the generated Ingresses name (cluster definition ingress.className).
    ingressClass               = var.names.ingress_class
    createIngressClassResource = true
    ingressClassConfig = {
      default = false
    }
    # The env class's IngressClassParams (named like the class, which the chart points at them).
    ingressClassParams = {
      create = true
      name   = var.names.ingress_class
      spec   = local.env_ingress_class_params_spec
    }
    # Services of type LoadBalancer are not devfleet's business; leave them to their owners.
    enableServiceMutatorWebhook = false
  }))]

  # The association must exist before the pods start, or they run without AWS credentials; the
  # log bucket's policy before any ALB names the bucket (alb-logs.tf).
  depends_on = [module.lb_controller_pod_identity, helm_release.karpenter, aws_s3_bucket_policy.alb_logs]
}

# The platform's class: the front door and Headlamp only, in the platform IngressGroup.
resource "kubectl_manifest" "platform_ingress_class_params" {
  yaml_body         = yamlencode(local.platform_ingress_class_params)
  server_side_apply = true

  lifecycle {
    precondition {
      condition     = local.access_guarded
      error_message = "The platform's load balancer would be internet-facing without a guard: set access.source_cidrs (not 0.0.0.0/0) or access.sso, or access.scheme = \"internal\"."
    }
  }

  # The IngressClassParams CRD comes with the controller's chart.
  depends_on = [helm_release.aws_load_balancer_controller]
}

resource "kubernetes_ingress_class_v1" "platform" {
  metadata {
    name   = local.platform_ingress_class
    labels = { (var.keys.part_of) = "devfleet", (var.keys.managed_by) = "terraform" }
  }

  spec {
    controller = "ingress.k8s.aws/alb"
    parameters {
      api_group = "elbv2.k8s.aws"
      kind      = "IngressClassParams"
      name      = local.platform_ingress_class
    }
  }

  depends_on = [kubectl_manifest.platform_ingress_class_params]
}
