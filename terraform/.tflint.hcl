# TFLint configuration for terraform/ (run by test/hcl/tflint.test.ts:
# `tflint --recursive --config <this file>` from this folder).
#
# Only the bundled Terraform language ruleset: it needs no download, so it runs offline.
# "all" enables every rule, among them: documented and typed variables, documented outputs,
# pinned module sources and versions, required_version and required_providers with versions,
# the standard module structure (main.tf, variables.tf, outputs.tf) and no unused declarations.
# Ref https://github.com/terraform-linters/tflint-ruleset-terraform/blob/main/docs/rules/README.md
plugin "terraform" {
  enabled = true
  preset  = "all"
}

config {
  # Local modules (../../modules/platform) are evaluated with their callers' values; registry
  # modules are not downloaded (no `terraform init` here).
  call_module_type = "local"
}
