################################################################################
# Generated inputs (devfleet.auto.tfvars.json)
# Written by `npx devfleet synth` from clusters/dev.ts and projects/; `synth --check`
# fails CI when the file is stale. Meanings and valid values: modules/platform/variables.tf.
################################################################################

variable "cluster_name" {
  description = "EKS cluster name (cluster definition `name`): lower-case letters, digits and single hyphens, at most 20 characters."
  type        = string
}

variable "domain" {
  description = "DNS zone of every env host (cluster definition `domain`), e.g. `dev.example.com`; its public Route 53 hosted zone must exist."
  type        = string
}

variable "keys" {
  description = "Label, annotation and tag keys by snake_case name, from devfleet's generators/plan/labels.ts (see the module's variable of the same name)."
  type        = map(string)
}

variable "names" {
  description = "Names the generated tree relies on: `ingress_class`, `storage_class`, `argocd_namespace`, `namespace_prefix`, `developers_group`, `telepresence_namespace`, `root_app_path`, `alb_oidc_secret`, `platform_secret_store` (see the module's variable of the same name)."
  type = object({
    ingress_class          = string
    storage_class          = string
    argocd_namespace       = string
    namespace_prefix       = string
    developers_group       = string
    telepresence_namespace = string
    root_app_path          = string
    alb_oidc_secret        = string
    platform_secret_store  = string
  })
}

variable "gitops" {
  description = "Where Argo CD reads this repository: `repo_url` (Git URL) and `target_revision` (branch, tag or commit)."
  type = object({
    repo_url        = string
    target_revision = string
  })
}

variable "ingress_scheme" {
  description = "DEPRECATED, replaced by `access`: the old ALB scheme (cluster definition `ingress.scheme`), `internet-facing` or `internal`. Read only while `access` is null; an old `internet-facing` then admits only `endpoint_public_access_cidrs` (see the module's variable)."
  type        = string
  default     = null
}

variable "access" {
  description = "Who may reach every exposed host (front door, Headlamp, env Ingresses): `scheme` (`internal` or `internet-facing`), `source_cidrs` (client CIDRs), `sso` (null, `{ type = \"oidc\", issuer, authorization_endpoint, token_endpoint, user_info_endpoint, client_secret_name }` or `{ type = \"cognito\", user_pool_arn, user_pool_client_id, user_pool_domain }`). Internet-facing needs CIDRs or SSO. Null: from `ingress_scheme`. See the module's variable."
  type = object({
    scheme       = optional(string)
    source_cidrs = optional(list(string))
    sso = optional(object({
      type                   = string
      issuer                 = optional(string)
      authorization_endpoint = optional(string)
      token_endpoint         = optional(string)
      user_info_endpoint     = optional(string)
      client_secret_name     = optional(string)
      user_pool_arn          = optional(string)
      user_pool_client_id    = optional(string)
      user_pool_domain       = optional(string)
    }))
  })
  default = null
}

variable "argocd" {
  description = "Argo CD's settings for a fleet (generated from generators/cluster/argocd-settings.ts): `cmd_params` (argocd-cmd-params-cm), `cm` (argocd-cm), `controllers` and the `shard_clusters` they hold (`shard_service_target`). See the module's variable."
  type = object({
    cmd_params           = map(string)
    cm                   = map(string)
    controllers          = optional(number, 1)
    shard_service_target = optional(string)
    shard_clusters = optional(list(object({
      name   = string
      shard  = string
      server = string
      config = object({
        tlsClientConfig    = object({ serverName = string })
        execProviderConfig = object({ apiVersion = string, command = string, args = list(string) })
      })
    })), [])
  })
}

variable "front_door" {
  description = "One load balancer for every env in front of the KEDA HTTP add-on: `enabled` (default true), `host` (default `*.<domain>`), `interceptor` (`replicas`, `max_replicas`, `cpu`, `memory`), `idle_minutes` (default 60). See the module's variable."
  type = object({
    enabled = optional(bool)
    host    = optional(string)
    interceptor = optional(object({
      replicas     = optional(number)
      max_replicas = optional(number)
      cpu          = optional(string)
      memory       = optional(string)
    }))
    idle_minutes = optional(number)
  })
  default = {}
}

variable "load_balancer_cidrs" {
  description = "The VPC ranges of the load balancers' own subnets (cluster definition `network.loadBalancerCidrs`); see the module's variable."
  type        = list(string)
}

variable "iam" {
  description = "Limits on envs' AWS access: `allowed_policies` (policy ARNs projects may use; empty or missing allows none) and `permissions_boundary` (ops' own upper bound, or null: its statements are the Allow part of the boundary Terraform makes for every project role)."
  type = object({
    allowed_policies     = optional(list(string))
    permissions_boundary = optional(string)
  })
  default = {}
}

variable "external_secrets" {
  description = "External Secrets: `remote_key_prefix` (Secrets Manager names the operator may read, default `devfleet/<cluster>/`) and `store_name` (the ClusterSecretStore, default `devfleet-secrets-manager`)."
  type = object({
    remote_key_prefix = optional(string)
    store_name        = optional(string)
  })
  default = {}
}

variable "kubernetes_version" {
  description = "Kubernetes `<major>.<minor>` of the cluster (cluster definition `kubernetesVersion`, default `1.35`); the generated sleep/wake CronJobs run the kubectl of the same minor. Keep it in EKS standard support."
  type        = string
  default     = "1.35"
}

variable "terraform_state_bucket" {
  description = "Name of the S3 bucket holding this Terraform state (the backend's `bucket`): the project roles' permissions boundary denies it."
  type        = string
}

variable "terraform_admin" {
  description = "IAM user or role ARN of the identity that runs `terraform apply` here: an explicit cluster-admin access entry (no implicit cluster-creator admin), e.g. `arn:aws:iam::123456789012:role/platform-terraform`."
  type        = string
}

variable "admins" {
  description = "IAM user or role ARNs of the platform operators (cluster definition `admins`): cluster-admin through EKS access entries."
  type        = list(string)
}

variable "developers" {
  description = "Developers by name: `iam` (IAM user or role ARN, or null), `kubernetes_user` (user name the generated RoleBindings name) and `namespace`."
  type = map(object({
    iam             = optional(string)
    kubernetes_user = string
    namespace       = string
  }))
}

variable "pod_identity_associations" {
  description = "One EKS Pod Identity association per env of a project with `aws.policies`, keyed `<namespace>/<service account>`: `project`, `role_name`, `namespace`, `service_account`, `policies`."
  type = map(object({
    project         = string
    role_name       = string
    namespace       = string
    service_account = string
    policies        = list(string)
  }))
}

################################################################################
# Ops inputs (terraform.tfvars)
# Attributes left out take the module's defaults (modules/platform/variables.tf).
################################################################################

variable "region" {
  description = "AWS region of the cluster, e.g. `ap-northeast-1` (Tokyo)."
  type        = string
}

variable "network" {
  description = "A new VPC (`cidr`, `azs`: 2-4 zone names, `single_nat_gateway`) or an existing one (`vpc_id`, `private_subnet_ids`, `public_subnet_ids`, `load_balancer_subnet_ids`)."
  type = object({
    vpc_id             = optional(string)
    private_subnet_ids = optional(list(string))
    public_subnet_ids  = optional(list(string))
    # Internal ALBs' own subnets (existing VPC only).
    load_balancer_subnet_ids = optional(list(string))
    cidr                     = optional(string)
    azs                      = optional(list(string))
    single_nat_gateway       = optional(bool)
  })
  default = {}
}

variable "endpoint_public_access_cidrs" {
  description = "CIDR blocks allowed to reach the public Kubernetes API endpoint (office, VPN), e.g. `[\"203.0.113.0/24\"]`."
  type        = list(string)
}

variable "argocd_webhook" {
  description = "Argo CD's GitHub webhook, off by default: `enabled` exposes only `https://argocd-webhook.<domain>/api/webhook` (HTTPS, signed payloads only) to `source_cidrs`, GitHub's IPv4 `hooks` ranges from https://api.github.com/meta (refresh them when GitHub changes them). See the module's variable and docs/gitops.md."
  type = object({
    enabled      = optional(bool)
    source_cidrs = optional(list(string))
  })
  default = {}
}

variable "system_nodes" {
  description = "On-demand managed node group for system pods: `instance_types`, `min_size`, `max_size`, `desired_size`."
  type = object({
    instance_types = optional(list(string))
    min_size       = optional(number)
    max_size       = optional(number)
    desired_size   = optional(number)
  })
  default = {}
}

variable "karpenter" {
  description = "Env NodePool: `capacity_types` (`spot`, `on-demand`), `instance_categories`, `instance_cpus`, `min_generation`, `cpu_limit`, `memory_limit`, `consolidate_after`."
  type = object({
    capacity_types      = optional(list(string))
    instance_categories = optional(list(string))
    instance_cpus       = optional(list(string))
    min_generation      = optional(number)
    cpu_limit           = optional(number)
    memory_limit        = optional(string)
    consolidate_after   = optional(string)
  })
  default = {}
}

variable "tags" {
  description = "Tags on every AWS resource (provider default_tags and module tags), e.g. `{ CostCenter = \"dev-platform\" }`."
  type        = map(string)
  default     = {}
}

variable "shop_images_bucket" {
  description = "Name of the S3 bucket holding the shop project's product images (the bundled example): its envs may read it and nothing else (aws_iam_policy.shop_images_read in main.tf), e.g. `acme-shop-images-dev`."
  type        = string
  default     = "acme-shop-images-dev"
}
