################################################################################
# Argo CD and the root app-of-apps
# Terraform installs Argo CD and applies clusters/<cluster>/bootstrap/root.yaml once;
# from then on Argo CD syncs clusters/<cluster>/apps/ (namespaces, RBAC, env
# Applications) and Terraform never touches what is generated.
# Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/
################################################################################

resource "helm_release" "argocd" {
  # With the chart's nameOverride "argocd", this release name gives the usual object names
  # (argocd-server, argocd-repo-server, ...) that Argo CD's own docs and CLI expect.
  name             = "argocd"
  namespace        = var.names.argocd_namespace
  create_namespace = true
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-cd"
  version          = local.chart_versions.argo_cd

  values = [yamlencode(local.argocd_values)]

  depends_on = [helm_release.karpenter]
}

locals {
  # The Argo CD the local harness proves (tools/versions.env ARGOCD_VERSION, read in versions.tf),
  # not whatever image the chart version happens to ship.
  argocd_image_tag = local.pins.ARGOCD_VERSION

  argocd_values = {
    global = merge(local.system_pod_placement, { image = { tag = local.argocd_image_tag } })
    # No SSO is configured: ops reach the UI through `kubectl port-forward` with the admin secret.
    dex = { enabled = false }
    # One application controller per shard (generators/plan/argocd-shards.ts); the chart sets
    # ARGOCD_CONTROLLER_REPLICAS from it and each replica's shard is its StatefulSet ordinal.
    controller = { replicas = var.argocd.controllers }
    configs = {
      # This repository, declared once; for a private repository ops add its credentials as a
      # Secret labelled keys.argocd_secret_type: repo-creds for the same URL.
      # Ref https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#repositories
      repositories = {
        devfleet = {
          name = "devfleet"
          type = "git"
          url  = var.gitops.repo_url
        }
      }
      cm = merge(var.argocd.cm, {
        # Argo CD's own resource tracking label is replaced by an annotation, so the
        # app.kubernetes.io/instance label devfleet sets on every object stays ours.
        # Ref https://argo-cd.readthedocs.io/en/stable/user-guide/resource_tracking/
        "application.resourceTrackingMethod" = "annotation"
      })
      # Sized for a fleet (generated, generators/cluster/argocd-settings.ts; the harness runs the same).
      params = var.argocd.cmd_params
    }
  }
}

# The shard clusters (generators/plan/argocd-shards.ts): the cluster's own API server registered
# again under the name <cluster>-shard-<i>, pinned to controller i, so envs on shard i (their
# Applications name it as destination) are reconciled there. Shard 0 is the in-cluster destination.
# Each name is an ExternalName Service for the API server's in-cluster Service; TLS still verifies
# the API server's certificate (serverName, the cluster CA) and the controller authenticates with
# its own ServiceAccount token through an exec plugin: no credential in Git, tfvars or state.
locals {
  # Base64 PEM, as Argo CD's tlsClientConfig.caData takes it (not a secret: every client holds it).
  cluster_ca_data = module.eks.cluster_certificate_authority_data

  argocd_shard_objects = merge([
    for c in var.argocd.shard_clusters : {
      "Service/${c.name}" = {
        apiVersion = "v1"
        kind       = "Service"
        metadata   = { name = c.name, namespace = var.names.argocd_namespace }
        spec       = { type = "ExternalName", externalName = var.argocd.shard_service_target }
      }
      "Secret/${c.name}" = {
        apiVersion = "v1"
        kind       = "Secret"
        metadata   = { name = c.name, namespace = var.names.argocd_namespace, labels = { (var.keys.argocd_secret_type) = "cluster" } }
        stringData = {
          name   = c.name
          server = c.server
          shard  = c.shard
          config = jsonencode(merge(c.config, { tlsClientConfig = merge(c.config.tlsClientConfig, { caData = local.cluster_ca_data }) }))
        }
      }
    }
  ]...)
}

resource "kubectl_manifest" "argocd_shards" {
  for_each = local.argocd_shard_objects

  yaml_body = yamlencode(each.value)

  depends_on = [helm_release.argocd]
}

# The generated bootstrap manifest: the platform AppProject and the root Application.
# Applied document by document with kubectl_manifest rather than through the argocd-apps
# chart, so the YAML devfleet generates (and tests against the Argo CD CRDs) is what lands
# in the cluster, byte for byte, with no second description of it in HCL; and rather than
# kubernetes_manifest, which needs the Argo CD CRDs at plan time, before Argo CD exists.
data "kubectl_file_documents" "root_app" {
  content = file("${var.repository_root}/${var.names.root_app_path}")
}

resource "kubectl_manifest" "root_app" {
  for_each = data.kubectl_file_documents.root_app.manifests

  yaml_body = each.value
  # Argo CD owns these objects' status and may add finalizers: only the fields in the file are ours.
  server_side_apply = true

  lifecycle {
    precondition {
      # The bootstrap file and the tfvars come from the same `npx devfleet synth`; a mismatch means
      # one of them is stale.
      condition     = strcontains(each.value, var.gitops.repo_url) && strcontains(each.value, var.names.argocd_namespace)
      error_message = "${var.names.root_app_path} does not match the generated inputs (repo_url, argocd_namespace); run `npx devfleet synth` and commit both."
    }
  }

  depends_on = [helm_release.argocd]
}
