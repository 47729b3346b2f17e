################################################################################
# Karpenter: spot capacity for envs
# Many instance types and families are eligible, so a spot scale-out finds capacity
# (the 2019 setup's Cluster Autoscaler with one spot type failed with "capacity not
# available"); the interruption queue replaces the spot termination handler.
# Ref https://karpenter.sh/docs/concepts/nodepools/
################################################################################

locals {
  karpenter_namespace       = "kube-system"
  karpenter_service_account = "karpenter"
}

# Controller IAM role (with its Pod Identity association), node IAM role and access entry,
# SQS interruption queue and the EventBridge rules that feed it.
module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "21.15.1"
  #checkov:skip=CKV_TF_1: a Terraform Registry source cannot take a commit hash (only git:: sources can); the version is pinned exactly instead, as terraform-aws-modules publish it.

  cluster_name    = module.eks.cluster_name
  iam_role_name   = "${var.cluster_name}-karpenter"
  namespace       = local.karpenter_namespace
  service_account = local.karpenter_service_account

  node_iam_role_use_name_prefix = false
  node_iam_role_name            = "${var.cluster_name}-karpenter-node"
  # No AmazonSSMManagedInstanceCore: it grants the node role SSM and messaging actions on every
  # resource, which env nodes do not need; debug a node with `kubectl debug node/<name>`.

  tags = local.tags
}

resource "helm_release" "karpenter" {
  name       = "karpenter"
  namespace  = local.karpenter_namespace
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"
  version    = local.chart_versions.karpenter
  # Karpenter runs on the system nodes; it cannot schedule itself onto nodes it has not created yet.
  wait = true

  values = [yamlencode({
    # The pods resolve through the node: CoreDNS may not be up before Karpenter adds capacity.
    dnsPolicy    = "Default"
    nodeSelector = local.system_node_label
    tolerations  = local.system_pod_placement.tolerations
    serviceAccount = {
      name = local.karpenter_service_account
    }
    settings = {
      clusterName       = module.eks.cluster_name
      clusterEndpoint   = module.eks.cluster_endpoint
      interruptionQueue = module.karpenter.queue_name
    }
  })]

  depends_on = [module.karpenter]
}

resource "kubectl_manifest" "karpenter_node_class" {
  yaml_body = yamlencode({
    apiVersion = "karpenter.k8s.aws/v1"
    kind       = "EC2NodeClass"
    metadata   = { name = "envs" }
    spec = {
      role = module.karpenter.node_iam_role_name
      # The latest EKS-optimized AL2023 AMI: Karpenter drifts nodes onto new releases within the
      # NodePool's disruption budget, so patches arrive without anyone bumping an AMI id.
      amiSelectorTerms           = [{ alias = "al2023@latest" }]
      subnetSelectorTerms        = [{ tags = local.discovery_tag }]
      securityGroupSelectorTerms = [{ tags = local.discovery_tag }]
      # IMDSv2 only, one hop: pods get AWS credentials from Pod Identity, never from the node role.
      metadataOptions = {
        httpEndpoint            = "enabled"
        httpTokens              = "required"
        httpPutResponseHopLimit = 1
      }
      blockDeviceMappings = [{
        deviceName = "/dev/xvda"
        ebs = {
          volumeSize          = "80Gi"
          volumeType          = "gp3"
          encrypted           = true
          deleteOnTermination = true
        }
      }]
      tags = merge(local.tags, local.discovery_tag)
    }
  })

  depends_on = [helm_release.karpenter]
}

resource "kubectl_manifest" "karpenter_node_pool" {
  yaml_body = yamlencode({
    apiVersion = "karpenter.sh/v1"
    kind       = "NodePool"
    metadata   = { name = "envs" }
    spec = {
      template = {
        metadata = { labels = { (var.keys.pool) = "envs" } }
        spec = {
          nodeClassRef = {
            group = "karpenter.k8s.aws"
            kind  = "EC2NodeClass"
            name  = "envs"
          }
          requirements = [
            { key = var.keys.capacity_type, operator = "In", values = var.karpenter.capacity_types },
            { key = var.keys.karpenter_instance_category, operator = "In", values = var.karpenter.instance_categories },
            { key = var.keys.karpenter_instance_cpu, operator = "In", values = var.karpenter.instance_cpus },
            { key = var.keys.karpenter_instance_generation, operator = "Gt", values = [tostring(var.karpenter.min_generation)] },
            # Project images are usually built for amd64 only.
            { key = var.keys.arch, operator = "In", values = ["amd64"] },
            { key = var.keys.os, operator = "In", values = ["linux"] },
          ]
          # Nodes are replaced every two weeks at most, so AMI and kernel patches always land.
          expireAfter = "336h"
        }
      }
      limits = {
        cpu    = var.karpenter.cpu_limit
        memory = var.karpenter.memory_limit
      }
      disruption = {
        # Envs sleep at night: empty and underused nodes go away, which is where the savings are.
        consolidationPolicy = "WhenEmptyOrUnderutilized"
        consolidateAfter    = var.karpenter.consolidate_after
      }
    }
  })

  depends_on = [kubectl_manifest.karpenter_node_class]
}
