#!/usr/bin/env bash
# Builds the local Kubernetes control plane of `npm run cluster:up` and the real-cluster tests
# (test/integration/, test/e2e/) into .tools/bin/kube: etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler in one binary, from the Go module in tools/kube/ (see
# its go.mod for the pin and why it needs replace lines). Called by scripts/install-tools.sh; runs
# on its own too.
#
# The Go module proxy is the only source: no release downloads, no container images. The binary is
# cached outside the clone by a hash of its inputs (tools/kube/go.mod, go.sum, main.go, the flags,
# the Go version; scripts/lib/tools.sh); when that entry exists, nothing is built.
#
# Version and cost: tools/versions.env (KUBE_VERSION, KUBE_BUILD_MINUTES).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_go

module="$tools_root/tools/kube"

if ! grep -q "^require k8s.io/kubernetes $KUBE_VERSION\$\|^	k8s.io/kubernetes $KUBE_VERSION\$" "$module/go.mod"; then
  echo "build-apiserver: tools/kube/go.mod does not require k8s.io/kubernetes $KUBE_VERSION; keep them in step" >&2
  exit 1
fi

# The version the binaries report (`kubectl version`, /version); release builds set the same variables.
ldflags="-s -w"
minor="${KUBE_VERSION#v1.}"
minor="${minor%%.*}"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

hash="$(cat "$module/go.mod" "$module/go.sum" "$module/main.go" <(echo "$ldflags") <(go env GOVERSION GOOS GOARCH) | input_hash)"

build() {
  set -euo pipefail
  cd "$module"
  # -mod=readonly: go.sum is the pin; a missing or changed checksum is an error, never an update.
  go build -v -mod=readonly -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out/kube" .
}
export -f build
export module ldflags
cached_build kube "$hash" "kube $KUBE_VERSION (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)" "~$KUBE_BUILD_MINUTES min on 2 CPUs" bash -c build
