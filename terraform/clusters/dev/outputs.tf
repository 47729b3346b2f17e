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

output "kubernetes_version" {
  description = "Kubernetes <major>.<minor> of the cluster (cluster definition `kubernetesVersion`); the sleep/wake CronJobs run the kubectl of the same minor."
  value       = module.platform.kubernetes_version
}

output "access" {
  description = "The access guard on every Ingress Terraform creates (scheme, source CIDRs, SSO type, annotations)."
  value       = module.platform.access
}

output "front_door" {
  description = "The front door (host, Ingress, interceptor Service, scaler address, idle minutes), or null when disabled."
  value       = module.platform.front_door
}

output "external_secrets" {
  description = "The ClusterSecretStore name, the Secrets Manager name prefix the operator may read, and its role ARN."
  value       = module.platform.external_secrets
}

output "argocd_webhook" {
  description = "Argo CD's GitHub webhook (URL, content type, events, secret name, source CIDRs, the one-time `gh api` command), or null when off."
  value       = module.platform.argocd_webhook
}
