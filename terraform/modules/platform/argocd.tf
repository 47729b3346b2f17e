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
    configs = {
      # This repository, declared once; for a private repository ops add its credentials as a
      # Secret labelled argocd.argoproj.io/secret-type: repo-creds for the same URL.
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
