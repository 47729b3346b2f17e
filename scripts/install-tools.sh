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

if [[ "$(module_version "$bin/helm" helm.sh/helm/v3)" == "$HELM_VERSION" ]]; then
  echo "helm $HELM_VERSION: already installed"
else
  if ! command -v go >/dev/null; then
    echo "install-tools: Go is required to build Helm $HELM_VERSION (https://go.dev/dl/)" >&2
    exit 1
  fi
  echo "helm $HELM_VERSION: building with go install (first time only, ~2-4 min)..."
  # -trimpath and a pinned version keep the binary reproducible; GOFLAGS from the caller still apply.
  # The ldflags give `helm version` the full version, as release builds have it.
  GOBIN="$bin" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  "$bin/helm" version --short
fi

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
