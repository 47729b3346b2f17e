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

output "kubernetes_version" {
  description = "Kubernetes <major>.<minor> of the cluster (cluster definition `kubernetesVersion`). The generated sleep/wake CronJobs run `registry.k8s.io/kubectl` of the same minor (generators/plan/kubectl-image.ts)."
  value       = var.kubernetes_version
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

output "load_balancer_subnet_ids" {
  description = "IDs of the internal load balancers' own subnets (no node, no Pod), inside load_balancer_cidrs."
  value       = local.load_balancer_subnet_ids
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

################################################################################
# Access, front door, secrets (what the generated tree relies on)
################################################################################

output "access" {
  description = "The access guard in force on every Ingress Terraform creates: `scheme`, `source_cidrs`, `sso_type` (`none`, `oidc`, `cognito`), and `annotations` (the exact alb.ingress.kubernetes.io/* scheme, CIDR and auth annotations, for comparison with the generated env Ingresses)."
  value = {
    scheme       = local.access.scheme
    source_cidrs = local.access.source_cidrs
    sso_type     = local.sso_type
    annotations  = local.alb_access_annotations
  }
}

output "front_door" {
  description = "The front door, or null when disabled: `host` (the Ingress host), `ingress` (namespace/name), `interceptor_service` (the add-on's proxy Service, `<name>.<namespace>:<port>`), `scaler_address` (the `scalerAddress` of the generated ScaledObjects' external-push trigger), `idle_minutes`."
  value = var.front_door.enabled ? {
    host                = local.front_door_host
    ingress             = "${local.keda_namespace}/devfleet-front-door"
    interceptor_service = "${local.interceptor_proxy_service}.${local.keda_namespace}:${local.interceptor_proxy_port}"
    scaler_address      = local.http_scaler_address
    idle_minutes        = var.front_door.idle_minutes
  } : null
}

output "external_secrets" {
  description = "External Secrets: `store_name` (the ClusterSecretStore generated ExternalSecrets name), `remote_key_prefix` (AWS Secrets Manager names the operator may read: `<prefix><project>/<secret>`), `role_arn` (the operator's Pod Identity role)."
  value = {
    store_name        = var.external_secrets.store_name
    remote_key_prefix = local.remote_key_prefix
    role_arn          = module.external_secrets_pod_identity.iam_role_arn
  }
}

output "argocd_webhook" {
  description = "Argo CD's GitHub webhook, or null when off (argocd_webhook.enabled): `url` (the payload URL), `content_type` (`application/json`), `events` (`push` only), `secret_name` (the AWS Secrets Manager secret holding the webhook secret), `source_cidrs` (what the ALB admits), and `gh_command`: the one-time `gh api` call that adds the webhook to the repository (needs the GitHub CLI and repository admin)."
  value = local.argocd_webhook_enabled ? {
    url          = local.argocd_webhook_url
    content_type = "application/json"
    events       = ["push"]
    secret_name  = local.argocd_webhook_secret_name
    source_cidrs = var.argocd_webhook.source_cidrs
    # GitHub's API spells the content type `json`; the secret is read from Secrets Manager at run time, never stored here.
    gh_command = "gh api repos/${local.argocd_webhook_repository}/hooks -f name=web -F active=true -f 'events[]=push' -f 'config[url]=${local.argocd_webhook_url}' -f 'config[content_type]=json' -f 'config[insecure_ssl]=0' -f \"config[secret]=$(aws secretsmanager get-secret-value --region ${local.region} --secret-id ${local.argocd_webhook_secret_name} --query SecretString --output text)\""
  } : null
}
