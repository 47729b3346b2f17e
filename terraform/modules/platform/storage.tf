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

# The CSI controller creates and deletes access points; its role is attached to the
# aws-efs-csi-driver add-on in eks.tf.
module "efs_csi_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.6.0"
  #checkov:skip=CKV_TF_1: a Terraform Registry source cannot take a commit hash (only git:: sources can); the version is pinned exactly instead, as terraform-aws-modules publish it.

  name                      = "${var.cluster_name}-efs-csi"
  attach_aws_efs_csi_policy = true

  tags = local.tags
}

resource "kubernetes_storage_class_v1" "envs" {
  metadata {
    # The name every generated PVC uses (cluster definition storageClass).
    name = var.names.storage_class
  }

  storage_provisioner = "efs.csi.aws.com"
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

  depends_on = [aws_efs_mount_target.envs, module.eks]
}
