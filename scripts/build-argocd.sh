#!/usr/bin/env bash
# Builds Argo CD's repo-server and application-controller (+ an in-memory Redis) for the local
# cluster of `npm run cluster:up` and the end-to-end tests: one binary, .tools/bin/argocd, from the
# Go module in tools/argocd/ (see its go.mod for the pin and its replace lines). Also links
# git-verify-wrapper.sh (vendored from Argo CD, tools/argocd/vendor-files/) next to it: the
# repo-server runs it from PATH.
#
# Argo CD v3.6 needs Go >= 1.27. GOTOOLCHAIN=$ARGOCD_GOTOOLCHAIN makes the go command fetch that
# toolchain from the module proxy (once, ~80 MB in the module cache) for this build only.
#
# Cached outside the clone by input hash (scripts/lib/tools.sh). Versions and cost:
# tools/versions.env (ARGOCD_VERSION, ARGOCD_GOTOOLCHAIN, ARGOCD_BUILD_MINUTES).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_go

export GOTOOLCHAIN="$ARGOCD_GOTOOLCHAIN"
module="$tools_root/tools/argocd"

if ! grep -q "^	github.com/argoproj/argo-cd/v3 $ARGOCD_VERSION\$" "$module/go.mod"; then
  echo "build-argocd: tools/argocd/go.mod does not require github.com/argoproj/argo-cd/v3 $ARGOCD_VERSION; keep them in step" >&2
  exit 1
fi

ldflags="-s -w -X github.com/argoproj/argo-cd/v3/common.version=${ARGOCD_VERSION#v}"
hash="$(cat "$module/go.mod" "$module/go.sum" "$module/main.go" "$module/vendor-files/git-verify-wrapper.sh" \
  <(echo "$ldflags" "$GOTOOLCHAIN") <(go env GOVERSION GOOS GOARCH) | input_hash)"

build() {
  set -euo pipefail
  cd "$module"
  # -mod=readonly: go.sum is the pin; a missing or changed checksum is an error, never an update.
  go build -v -mod=readonly -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out/argocd" .
  install -m 0755 vendor-files/git-verify-wrapper.sh "$out/git-verify-wrapper.sh"
}
export -f build
export module ldflags
cached_build argocd "$hash" "argocd $ARGOCD_VERSION (repo-server, application-controller, redis)" "~$ARGOCD_BUILD_MINUTES min on 2 CPUs" bash -c build
