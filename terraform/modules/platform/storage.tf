################################################################################
# Storage: EFS behind every env PVC
# One access point per PV (dynamic provisioning), under a per-namespace directory,
# so each developer's MySQL or Postgres data has its own sub-path of one file system.
# Ref https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/README.md#dynamic-provisioning
################################################################################

resource "aws_efs_file_system" "envs" {
  creation_token = "${var.cluster_name}-envs"
  #checkov:skip=CKV_AWS_184: the AWS-managed key (aws/elasticfilesystem) encrypts the development data at rest; a customer managed key would add $1/month and key policy upkeep without protecting against anything this cluster faces.
  encrypted        = true
  performance_mode = "generalPurpose"
  # Elastic: pay for what is read and written; a sleeping fleet moves almost nothing.
  throughput_mode = "elastic"

  lifecycle_policy {
    transition_to_ia = var.efs.transition_to_ia
  }

  lifecycle_policy {
    transition_to_primary_storage_class = "AFTER_1_ACCESS"
  }

  tags = merge(local.tags, { Name = "${var.cluster_name}-envs" })
}

resource "aws_efs_backup_policy" "envs" {
  file_system_id = aws_efs_file_system.envs.id

  backup_policy {
    status = var.efs.backup ? "ENABLED" : "DISABLED"
  }
}

resource "aws_security_group" "efs" {
  name_prefix = "${var.cluster_name}-efs-"
  description = "NFS from the cluster's nodes to the envs' EFS file system"
  vpc_id      = local.vpc_id

  tags = merge(local.tags, { Name = "${var.cluster_name}-efs" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "efs_from_nodes" {
  security_group_id            = aws_security_group.efs.id
  description                  = "NFS from every node (the managed node group and Karpenter's nodes share the node security group)"
  referenced_security_group_id = module.eks.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
}

resource "aws_efs_mount_target" "envs" {
  for_each = { for i, subnet in local.private_subnet_ids : tostring(i) => subnet }

  file_system_id  = aws_efs_file_system.envs.id
  subnet_id       = each.value
  security_groups = [aws_security_group.efs.id]
}

locals {
  efs_csi_namespace = "kube-system"
  # The node DaemonSet's ServiceAccount in the aws-efs-csi-driver add-on: its Pods mount the volumes.
  efs_csi_node_service_account = "efs-csi-node-sa"
}

# The CSI driver's one role: the controller creates and deletes access points with it (attached
# to the aws-efs-csi-driver add-on in eks.tf), and the node Pods mount with it (`iam` mount
# option). The managed add-on associates only the controller's ServiceAccount, so the node's
# association is made here.
# Ref https://github.com/kubernetes-sigs/aws-efs-csi-driver/issues/1759
module "efs_csi_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.6.0"
  #checkov:skip=CKV_TF_1: a Terraform Registry source cannot take a commit hash (only git:: sources can); the version is pinned exactly instead, as terraform-aws-modules publish it.

  name                      = "${var.cluster_name}-efs-csi"
  attach_aws_efs_csi_policy = true

  # Only this account's cluster may hand the role to a pod (confused-deputy protection), as for envs.
  trust_policy_conditions = [
    { test = "StringEquals", variable = "aws:SourceAccount", values = [local.account_id] },
    { test = "ArnEquals", variable = "aws:SourceArn", values = [module.eks.cluster_arn] },
  ]

  associations = {
    node = {
      cluster_name    = module.eks.cluster_name
      namespace       = local.efs_csi_namespace
      service_account = local.efs_csi_node_service_account
    }
  }

  tags = local.tags
}

# Without a file system policy EFS grants every client that reaches a mount target full access,
# root included: a root container with a user-space NFS client could read every developer's
# /envs/<namespace>/ around the access points. With this policy an NFS client must sign in with
# IAM (anonymous mounts match no Allow), over TLS, as the CSI driver's role, through a mount
# target; everything else is refused. Env Pods never hold that role (Pod Identity gives it to the
# driver's ServiceAccounts only), and the generated NetworkPolicies keep them off TCP 2049 too.
# Ref https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html
# Ref https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html
data "aws_iam_policy_document" "efs" {
  statement {
    sid     = "MountThroughTheCsiDriverOnly"
    effect  = "Allow"
    actions = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"]
    # The official database images run as root and chown their data directory (uid = 0 below).
    resources = [aws_efs_file_system.envs.arn]

    principals {
      type        = "AWS"
      identifiers = [module.efs_csi_pod_identity.iam_role_arn]
    }

    condition {
      test     = "Bool"
      variable = "elasticfilesystem:AccessedViaMountTarget"
      values   = ["true"]
    }
  }

  # In one account an identity policy alone can also grant Client* (a project role's broad policy,
  # say): only the driver's role may be an NFS client, whatever other policies say. An anonymous
  # client has no principal ARN, which this condition refuses as well.
  statement {
    sid       = "DenyOtherClients"
    effect    = "Deny"
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"]
    resources = [aws_efs_file_system.envs.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [module.efs_csi_pod_identity.iam_role_arn]
    }
  }

  statement {
    sid       = "DenyWithoutTls"
    effect    = "Deny"
    actions   = ["*"]
    resources = [aws_efs_file_system.envs.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_efs_file_system_policy" "envs" {
  file_system_id = aws_efs_file_system.envs.id
  policy         = data.aws_iam_policy_document.efs.json
}

resource "kubernetes_storage_class_v1" "envs" {
  metadata {
    # The name every generated PVC uses (cluster definition storageClass).
    name = var.names.storage_class
  }

  storage_provisioner = "efs.csi.aws.com"
  # Mount with the node Pod's IAM identity, which the file system policy requires. TLS is the
  # driver's default (`encryptInTransit`); the policy refuses any mount without it.
  # Ref https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/README.md#encryption-in-transit
  mount_options = ["iam"]
  # A deleted PVC keeps its data (devfleet never deletes PVCs either): ops remove it on purpose.
  reclaim_policy      = "Retain"
  volume_binding_mode = "Immediate"

  parameters = {
    provisioningMode = "efs-ap"
    fileSystemId     = aws_efs_file_system.envs.id
    directoryPerms   = "700"
    basePath         = "/envs"
    # <namespace>/<pvc>-<uuid>: a developer's data is found under /envs/dev-<developer>/.
    subPathPattern        = "$${.PVC.namespace}/$${.PVC.name}"
    ensureUniqueDirectory = "true"
    # Official database images run as root and chown their data directory on start; an access
    # point that forces another POSIX user makes that chown fail, so it forces root instead.
    uid = "0"
    gid = "0"
  }

  depends_on = [aws_efs_mount_target.envs, aws_efs_file_system_policy.envs, module.eks]
}
