################################################################################
# External Secrets Operator
# Every Secret a generated workload references comes from AWS Secrets Manager through ONE
# ClusterSecretStore. The operator reads, with its own EKS Pod Identity role, only the
# secrets named `<remote_key_prefix><project>/<secret>` (convention `devfleet/<cluster>/<project>/<secret>`),
# and an explicit Deny keeps that role off every other name, the platform's own secrets (one path
# segment under the prefix, like `devfleet/<cluster>/sso-oidc`) included: an ExternalSecret that
# slipped into Git past `devfleet validate` still cannot read them. The platform's secrets (the
# load balancer's OIDC client) are read through a second store, which only the platform's
# namespaces may use, with a second role the operator assumes. Nothing secret is in git or in
# the Terraform state: only names.
# Ref https://external-secrets.io/latest/provider/aws-secrets-manager/
# Ref https://external-secrets.io/latest/provider/aws-access/#eks-pod-identity-setup
################################################################################

locals {
  external_secrets_namespace       = "external-secrets"
  external_secrets_service_account = "external-secrets"
  # The webhook's port, set in the chart (its default): the generated developer-namespace
  # policies keep env Pods off it (generators/cluster/network-policy.ts WEBHOOK_PORT).
  external_secrets_webhook_port = 10250
  remote_key_prefix             = coalesce(var.external_secrets.remote_key_prefix, "devfleet/${var.cluster_name}/")

  # Secrets Manager appends "-" and six random characters to every secret's ARN: `<name>-??????`
  # matches exactly one name, `<prefix>*` every name under the prefix.
  # Ref https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen
  secret_arn_base = "arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:"
  # Project secrets only: at least two path segments under the prefix (`<project>/<secret>`,
  # generators/plan/secret-store.ts projectRemoteKey); a platform secret has one (isPlatformRemoteKey).
  readable_secret_arns = ["${local.secret_arn_base}${local.remote_key_prefix}*/*"]

  # The platform's own secrets, read by the platform store's role only: the OIDC client secret
  # (its name comes from the generated tfvars, access.sso.client_secret_name) and Argo CD's
  # webhook secret when the webhook is on (argocd-webhook.tf).
  platform_secret_arns = concat(
    local.sso_type == "oidc" ? ["${local.secret_arn_base}${local.access.sso.client_secret_name}-??????"] : [],
    local.argocd_webhook_secret_arns,
  )

  # Namespaces whose ExternalSecrets may use the platform store: the platform's own Ingress
  # namespaces, which need the OIDC client secret. Developer namespaces use the env store only.
  external_secrets_store_namespaces = compact([
    var.front_door.enabled ? local.keda_namespace : "",
    local.headlamp_namespace,
  ])
  # Argo CD's namespace uses it for the webhook secret only (no OIDC client is copied there).
  platform_secret_store_namespaces = concat(local.external_secrets_store_namespaces, local.argocd_webhook_enabled ? [var.names.argocd_namespace] : [])

  # A fixed name (not a prefix), so the operator's policy can name the role before it exists.
  platform_secrets_role_name = "${var.cluster_name}-eso-platform"
  platform_secrets_role_arn  = "arn:${local.partition}:iam::${local.account_id}:role/${local.platform_secrets_role_name}"
  # Named by devfleet (generated tfvars), like the store of the envs.
  platform_secret_store_name = var.names.platform_secret_store
}

data "aws_iam_policy_document" "external_secrets" {
  # Read only, and only what the operator calls for `remoteRef.key` lookups. No ListSecrets or
  # BatchGetSecretValue: they cannot be limited to a prefix, and `dataFrom.find` is not used.
  statement {
    sid = "ReadDevfleetSecrets"
    actions = [
      "secretsmanager:GetSecretValue",
      "secretsmanager:DescribeSecret",
      "secretsmanager:ListSecretVersionIds",
    ]
    resources = local.readable_secret_arns
  }

  # Whatever else is attached to this role, it never reads a secret that is not a project's.
  statement {
    sid           = "DenyAllButProjectSecrets"
    effect        = "Deny"
    actions       = ["secretsmanager:*"]
    not_resources = local.readable_secret_arns
  }

  # The platform store's role, for the OIDC client secret (the store serves platform namespaces only).
  dynamic "statement" {
    for_each = length(local.platform_secret_arns) > 0 ? [1] : []
    content {
      sid       = "AssumeThePlatformSecretsRole"
      actions   = ["sts:AssumeRole"]
      resources = [local.platform_secrets_role_arn]
    }
  }

  # Secrets encrypted with a customer managed KMS key need kms:Decrypt (the default aws/secretsmanager
  # key does not); allowed only through Secrets Manager, for these secrets.
  statement {
    sid       = "DecryptThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:SecretARN"
      values   = local.readable_secret_arns
    }
  }
}

module "external_secrets_pod_identity" {
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.6.0"
  #checkov:skip=CKV_TF_1: a Terraform Registry source cannot take a commit hash (only git:: sources can); the version is pinned exactly instead, as terraform-aws-modules publish it.

  # A name prefix (IAM limit 38): 20 + 4 + 1 at most.
  name                      = "${var.cluster_name}-eso"
  attach_custom_policy      = true
  source_policy_documents   = [data.aws_iam_policy_document.external_secrets.json]
  custom_policy_description = "devfleet ${var.cluster_name}: External Secrets Operator reads ${local.remote_key_prefix}<project>/* from AWS Secrets Manager"

  # Only this account's cluster may hand the role to a pod (confused-deputy protection), as for envs.
  trust_policy_conditions = [
    { test = "StringEquals", variable = "aws:SourceAccount", values = [local.account_id] },
    { test = "ArnEquals", variable = "aws:SourceArn", values = [module.eks.cluster_arn] },
  ]

  associations = {
    controller = {
      cluster_name    = module.eks.cluster_name
      namespace       = local.external_secrets_namespace
      service_account = local.external_secrets_service_account
    }
  }

  tags = local.tags
}

# The platform's secrets: a role only the operator may assume, which reads only them.
data "aws_iam_policy_document" "platform_secrets_trust" {
  count = length(local.platform_secret_arns) > 0 ? 1 : 0

  statement {
    sid     = "TheOperatorOnly"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "AWS"
      identifiers = [module.external_secrets_pod_identity.iam_role_arn]
    }
  }
}

data "aws_iam_policy_document" "platform_secrets" {
  count = length(local.platform_secret_arns) > 0 ? 1 : 0

  statement {
    sid = "ReadPlatformSecrets"
    actions = [
      "secretsmanager:GetSecretValue",
      "secretsmanager:DescribeSecret",
      "secretsmanager:ListSecretVersionIds",
    ]
    resources = local.platform_secret_arns
  }

  statement {
    sid       = "DecryptThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:SecretARN"
      values   = local.platform_secret_arns
    }
  }
}

resource "aws_iam_role" "platform_secrets" {
  count = length(local.platform_secret_arns) > 0 ? 1 : 0

  name                 = local.platform_secrets_role_name
  description          = "devfleet ${var.cluster_name}: External Secrets Operator reads the platform's own secrets (the platform ClusterSecretStore)"
  assume_role_policy   = data.aws_iam_policy_document.platform_secrets_trust[0].json
  max_session_duration = 3600

  tags = local.tags
}

resource "aws_iam_role_policy" "platform_secrets" {
  count = length(local.platform_secret_arns) > 0 ? 1 : 0

  name   = "read-platform-secrets"
  role   = aws_iam_role.platform_secrets[0].id
  policy = data.aws_iam_policy_document.platform_secrets[0].json
}

resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  namespace        = local.external_secrets_namespace
  create_namespace = true
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = local.chart_versions.external_secrets

  values = [yamlencode({
    # The controller, its webhook and its certificate controller on the system nodes.
    global = local.system_pod_placement
    serviceAccount = {
      create = true
      name   = local.external_secrets_service_account
    }
    webhook = { port = local.external_secrets_webhook_port }
  })]

  # The association must exist before the pods start, or they run without AWS credentials.
  depends_on = [module.external_secrets_pod_identity, helm_release.karpenter]
}

locals {
  # The one store every generated ExternalSecret names (`secretStoreRef: { kind: ClusterSecretStore,
  # name: <store_name> }`). No `auth`: the operator's own Pod Identity credentials are used
  # (`serviceAccountRef` cannot be combined with Pod Identity).
  cluster_secret_store = {
    apiVersion = "external-secrets.io/v1"
    kind       = "ClusterSecretStore"
    metadata = {
      name   = var.external_secrets.store_name
      labels = { (var.keys.part_of) = "devfleet", (var.keys.managed_by) = "terraform" }
    }
    spec = {
      # The developer namespaces only: the platform's namespaces use the platform store.
      conditions = [{ namespaceRegexes = ["^${var.names.namespace_prefix}"] }]
      provider = {
        aws = {
          service = "SecretsManager"
          region  = local.region
        }
      }
    }
  }

  # The platform's store: the platform's Ingress namespaces, through the platform role the
  # operator assumes (`role`), which reads the platform's secrets and nothing else. With per-env
  # Ingresses (front door off) every developer namespace needs the OIDC client Secret for its own
  # Ingress (generators/cluster/alb-oidc-secret.ts), so those namespaces may use it too: they then
  # hold that one client secret anyway, and the role reads nothing else of the platform's.
  # Ref https://external-secrets.io/latest/provider/aws-secrets-manager/
  platform_secret_store = {
    apiVersion = "external-secrets.io/v1"
    kind       = "ClusterSecretStore"
    metadata = {
      name   = local.platform_secret_store_name
      labels = { (var.keys.part_of) = "devfleet", (var.keys.managed_by) = "terraform" }
    }
    spec = {
      conditions = [merge(
        { namespaces = local.platform_secret_store_namespaces },
        var.front_door.enabled ? {} : { namespaceRegexes = ["^${var.names.namespace_prefix}"] },
      )]
      provider = {
        aws = {
          service = "SecretsManager"
          region  = local.region
          role    = local.platform_secrets_role_arn
        }
      }
    }
  }

  # The load balancer's OIDC client ID and secret, copied from Secrets Manager into each namespace
  # of a Terraform-made Ingress that signs in with OIDC (the controller reads them from there).
  alb_oidc_namespaces = local.sso_type == "oidc" ? local.external_secrets_store_namespaces : []
  alb_oidc_external_secrets = {
    for namespace in local.alb_oidc_namespaces : namespace => {
      apiVersion = "external-secrets.io/v1"
      kind       = "ExternalSecret"
      metadata = {
        name      = local.oidc_kubernetes_secret
        namespace = namespace
        labels    = { (var.keys.part_of) = "devfleet", (var.keys.managed_by) = "terraform" }
      }
      spec = {
        refreshInterval = "1h"
        secretStoreRef  = { kind = "ClusterSecretStore", name = local.platform_secret_store_name }
        target          = { name = local.oidc_kubernetes_secret }
        # Secrets Manager JSON {"clientId", "clientSecret"} -> the keys the controller expects.
        # Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#auth-idp-oidc
        data = [
          { secretKey = "clientID", remoteRef = { key = local.access.sso.client_secret_name, property = "clientId" } },
          { secretKey = "clientSecret", remoteRef = { key = local.access.sso.client_secret_name, property = "clientSecret" } },
        ]
      }
    }
  }
}

resource "kubectl_manifest" "cluster_secret_store" {
  yaml_body         = yamlencode(local.cluster_secret_store)
  server_side_apply = true

  depends_on = [helm_release.external_secrets]
}

resource "kubectl_manifest" "platform_secret_store" {
  count = length(local.platform_secret_arns) > 0 ? 1 : 0

  yaml_body         = yamlencode(local.platform_secret_store)
  server_side_apply = true

  depends_on = [helm_release.external_secrets, aws_iam_role_policy.platform_secrets]
}

resource "kubectl_manifest" "alb_oidc_secret" {
  for_each = local.alb_oidc_external_secrets

  yaml_body         = yamlencode(each.value)
  server_side_apply = true

  # The namespaces are created by their charts.
  depends_on = [kubectl_manifest.platform_secret_store, helm_release.keda, helm_release.headlamp]
}
