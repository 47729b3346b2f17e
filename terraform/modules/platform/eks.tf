################################################################################
# EKS cluster
################################################################################

locals {
  # Each developer's IAM principal becomes the Kubernetes user the generated RoleBindings name,
  # in the developers' group the generated RBAC binds (namespace view + scale, Telepresence in
  # their own namespace). No access policy is associated: what developers may do is exactly the
  # RBAC in clusters/<cluster>/apps/, never an EKS cluster-wide policy.
  # Ref https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
  developer_access_entries = {
    for name, developer in var.developers : "developer:${name}" => {
      principal_arn     = developer.iam
      type              = "STANDARD"
      user_name         = developer.kubernetes_user
      kubernetes_groups = [var.names.developers_group]
    } if developer.iam != null
  }

  # Platform operators and the identity that runs Terraform (it installs the Helm charts):
  # cluster-admin through the EKS access policy (no Kubernetes RBAC needed), each an explicit
  # access entry that can be reviewed and removed, rather than the creator's implicit one.
  # Ref https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
  admin_access_entries = {
    for arn in distinct(concat(var.admins, [var.terraform_admin])) : "admin:${arn}" => {
      principal_arn = arn
      type          = "STANDARD"
      policy_associations = {
        cluster_admin = {
          policy_arn   = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
          access_scope = { type = "cluster" }
        }
      }
    }
  }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.15.1"
  #checkov:skip=CKV_TF_1: a Terraform Registry source cannot take a commit hash (only git:: sources can); the version is pinned exactly instead, as terraform-aws-modules publish it.

  name               = var.cluster_name
  kubernetes_version = var.kubernetes_version

  # Clusters created through the API default to EXTENDED support, billed six times the standard
  # price (generators/cost/prices.json) once the version leaves standard support; STANDARD keeps
  # the standard price and lets EKS upgrade instead.
  # Ref https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#version-upgrade-policy
  upgrade_policy = { support_type = "STANDARD" }

  # Access entries only (no aws-auth ConfigMap): who may do what is in Terraform and the generated RBAC.
  # Ref https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html
  authentication_mode = "API"
  # No implicit admin for whoever happens to create the cluster: the identity that runs Terraform
  # is named in var.terraform_admin and gets an explicit access entry (admin_access_entries).
  enable_cluster_creator_admin_permissions = false
  access_entries                           = merge(local.developer_access_entries, local.admin_access_entries)

  # Public: developers run kubectl and Telepresence from laptops. Limited to
  # endpoint_public_access_cidrs, and every request still needs IAM credentials.
  endpoint_public_access       = true
  endpoint_public_access_cidrs = var.endpoint_public_access_cidrs
  endpoint_private_access      = true

  vpc_id     = local.vpc_id
  subnet_ids = local.private_subnet_ids

  addons = {
    # before_compute: the CNI and the Pod Identity agent must exist before the first node joins,
    # or the first pods start without networking or without AWS credentials.
    vpc-cni = {
      before_compute = true
      # Enforce Kubernetes NetworkPolicies (the generated ones keep developers' namespaces apart).
      # The CNI ships the policy agent but leaves it off; without this every NetworkPolicy is
      # accepted and ignored. Standard enforcing mode: pods no policy selects stay unrestricted.
      # Ref https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
    eks-pod-identity-agent = { before_compute = true }
    kube-proxy             = {}
    coredns = {
      configuration_values = jsonencode({
        nodeSelector = local.system_node_label
        tolerations  = local.system_pod_placement.tolerations
      })
    }
    aws-efs-csi-driver = {
      # The controller's credentials come from Pod Identity, associated by the add-on itself so the
      # association exists before its pods start.
      pod_identity_association = [{
        role_arn        = module.efs_csi_pod_identity.iam_role_arn
        service_account = "efs-csi-controller-sa"
      }]
    }
  }

  eks_managed_node_groups = {
    system = {
      ami_type       = "AL2023_x86_64_STANDARD"
      capacity_type  = "ON_DEMAND"
      instance_types = var.system_nodes.instance_types
      min_size       = var.system_nodes.min_size
      max_size       = var.system_nodes.max_size
      desired_size   = var.system_nodes.desired_size

      labels = local.system_node_label
      taints = { system = local.system_node_taint }
    }
  }

  # Karpenter launches env nodes into the node security group it finds by this tag.
  node_security_group_tags = local.discovery_tag

  tags = local.tags
}
