output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.platform.cluster_name
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API server."
  value       = module.platform.cluster_endpoint
}

output "configure_kubectl" {
  description = "Command that writes a kubeconfig entry for the cluster."
  value       = module.platform.configure_kubectl
}

output "headlamp_url" {
  description = "URL of the Headlamp dashboard."
  value       = module.platform.headlamp_url
}

output "wildcard_certificate_arn" {
  description = "ARN of the ACM certificate `*.<domain>`."
  value       = module.platform.wildcard_certificate_arn
}

output "efs_file_system_id" {
  description = "ID of the EFS file system behind the env PVCs."
  value       = module.platform.efs_file_system_id
}

output "project_role_arns" {
  description = "IAM role ARN of each project with AWS policies."
  value       = module.platform.project_role_arns
}
