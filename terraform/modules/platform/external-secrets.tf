################################################################################
# External Secrets Operator
# Every Secret a generated workload references comes from AWS Secrets Manager through ONE
# ClusterSecretStore. The operator reads, with its own EKS Pod Identity role, only the
# secrets named `<remote_key_prefix>...` (convention `devfleet/<cluster>/<project>/<secret>`)
# and, with SSO over OIDC, the load balancer's client secret. Nothing secret is in git or in
# the Terraform state: only names.
# Ref https://external-secrets.io/latest/provider/aws-secrets-manager/
# Ref https://external-secrets.io/latest/provider/aws-access/#eks-pod-identity-setup
################################################################################

locals {
  external_secrets_namespace       = "external-secrets"
  external_secrets_service_account = "external-secrets"
  remote_key_prefix                = coalesce(var.external_secrets.remote_key_prefix, "devfleet/${var.cluster_name}/")

  # Secrets Manager appends "-" and six random characters to every secret's ARN: `<name>-??????`
  # matches exactly one name, `<prefix>*` every name under the prefix.
  # Ref https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen
  secret_arn_base = "arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:"
  readable_secret_arns = concat(
    ["${local.secret_arn_base}${local.remote_key_prefix}*"],
    local.sso_type == "oidc" ? ["${local.secret_arn_base}${local.access.sso.client_secret_name}-??????"] : [],
  )

  # Namespaces whose ExternalSecrets may use the store: the developers' (generated envs) and the
  # platform's own Ingress namespaces, which need the OIDC client secret. Others are refused.
  external_secrets_store_namespaces = compact([
    var.front_door.enabled ? local.keda_namespace : "",
    local.headlamp_namespace,
  ])
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
  custom_policy_description = "devfleet ${var.cluster_name}: External Secrets Operator reads ${local.remote_key_prefix}* from AWS Secrets Manager"

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

resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  namespace        = local.external_secrets_namespace
  create_namespace = true
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = var.chart_versions.external_secrets

  values = [yamlencode({
    # The controller, its webhook and its certificate controller on the system nodes.
    global = local.system_pod_placement
    serviceAccount = {
      create = true
      name   = local.external_secrets_service_account
    }
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
      labels = { "app.kubernetes.io/part-of" = "devfleet", "app.kubernetes.io/managed-by" = "terraform" }
    }
    spec = {
      conditions = [{
        namespaceRegexes = ["^${var.names.namespace_prefix}"]
        namespaces       = local.external_secrets_store_namespaces
      }]
      provider = {
        aws = {
          service = "SecretsManager"
          region  = local.region
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
        labels    = { "app.kubernetes.io/part-of" = "devfleet", "app.kubernetes.io/managed-by" = "terraform" }
      }
      spec = {
        refreshInterval = "1h"
        secretStoreRef  = { kind = "ClusterSecretStore", name = var.external_secrets.store_name }
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

resource "kubectl_manifest" "alb_oidc_secret" {
  for_each = local.alb_oidc_external_secrets

  yaml_body         = yamlencode(each.value)
  server_side_apply = true

  # The namespaces are created by their charts.
  depends_on = [kubectl_manifest.cluster_secret_store, helm_release.keda, helm_release.headlamp]
}
