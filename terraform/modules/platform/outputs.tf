################################################################################
# Cluster
################################################################################

output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = module.eks.cluster_arn
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API server."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded certificate of the cluster's certificate authority (for provider and kubeconfig configuration)."
  value       = module.eks.cluster_certificate_authority_data
}

output "configure_kubectl" {
  description = "Command that writes a kubeconfig entry for the cluster (run with the IAM identity of a developer or an admin)."
  value       = "aws eks update-kubeconfig --region ${local.region} --name ${module.eks.cluster_name}"
}

################################################################################
# Network
################################################################################

output "vpc_id" {
  description = "ID of the VPC the cluster runs in (created here, or the one given in network.vpc_id)."
  value       = local.vpc_id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets of nodes, pods and EFS mount targets."
  value       = local.private_subnet_ids
}

output "public_subnet_ids" {
  description = "IDs of the public subnets of internet-facing ALBs (and the NAT gateway of a new VPC)."
  value       = local.public_subnet_ids
}

################################################################################
# Capacity
################################################################################

output "karpenter_interruption_queue" {
  description = "Name of the SQS queue Karpenter reads spot interruption and rebalance events from."
  value       = module.karpenter.queue_name
}

output "karpenter_node_iam_role_name" {
  description = "Name of the IAM role of the nodes Karpenter launches."
  value       = module.karpenter.node_iam_role_name
}

################################################################################
# DNS, TLS and storage
################################################################################

output "route53_zone_id" {
  description = "ID of the public hosted zone of the cluster domain (External DNS writes env records here)."
  value       = data.aws_route53_zone.cluster.zone_id
}

output "wildcard_certificate_arn" {
  description = "ARN of the ACM certificate `*.<domain>`; the load balancer controller discovers it by host, no Ingress names it."
  value       = aws_acm_certificate_validation.wildcard.certificate_arn
}

output "efs_file_system_id" {
  description = "ID of the EFS file system behind the env PVCs (their data is under /envs/<namespace>/)."
  value       = aws_efs_file_system.envs.id
}

output "storage_class" {
  description = "Name of the StorageClass the env PVCs use."
  value       = kubernetes_storage_class_v1.envs.metadata[0].name
}

################################################################################
# Pod Identity
################################################################################

output "project_role_arns" {
  description = "IAM role ARN of each project that declares AWS policies, by project name."
  value       = { for project, role in aws_iam_role.project : project => role.arn }
}

output "pod_identity_associations" {
  description = "Association ID of each env with AWS access, keyed `<namespace>/<service account>`."
  value       = { for key, association in aws_eks_pod_identity_association.env : key => association.association_id }
}

################################################################################
# Tools
################################################################################

output "argocd_namespace" {
  description = "Namespace Argo CD runs in; `kubectl -n <it> port-forward svc/argocd-server 8080:443` reaches the UI."
  value       = helm_release.argocd.namespace
}

output "headlamp_url" {
  description = "URL of Headlamp (sign in with `aws eks get-token --cluster-name <cluster> | jq -r .status.token`)."
  value       = "https://${local.headlamp_host}"
}
