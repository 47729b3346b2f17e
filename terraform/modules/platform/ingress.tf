################################################################################
# AWS Load Balancer Controller
# Creates the IngressClass every env Ingress names, and one ALB per IngressGroup
# (`alb.ingress.kubernetes.io/group.name`), finding the wildcard certificate by host.
# Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/
################################################################################

locals {
  lb_controller_namespace       = "kube-system"
  lb_controller_service_account = "aws-load-balancer-controller"
}

# The controller's IAM policy as upstream publishes it, on a role the controller assumes via Pod Identity.
module "lb_controller_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.6.0"
  #checkov:skip=CKV_TF_1: a Terraform Registry source cannot take a commit hash (only git:: sources can); the version is pinned exactly instead, as terraform-aws-modules publish it.

  # The module makes it a name prefix, which IAM limits to 38 characters: 20 + 8 + 1 at most.
  name                            = "${var.cluster_name}-aws-lbc"
  attach_aws_lb_controller_policy = true

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
  version    = var.chart_versions.aws_load_balancer_controller

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
    # Services of type LoadBalancer are not devfleet's business; leave them to their owners.
    enableServiceMutatorWebhook = false
  }))]

  # The association must exist before the pods start, or they run without AWS credentials.
  depends_on = [module.lb_controller_pod_identity, helm_release.karpenter]
}
