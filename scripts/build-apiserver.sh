#!/usr/bin/env bash
# Builds the local Kubernetes control plane the integration tests run against (test/integration/,
# `npm run cluster:up`) into .tools/bin/kube (git-ignored): etcd, kube-apiserver and
# kube-controller-manager in one binary, from the Go module in tools/kube/ (see its go.mod for the
# pin and why it needs replace lines). Called by scripts/install-tools.sh; runs on its own too.
#
# The Go module proxy is the only source: no release downloads, no container images. The binary
# records a hash of its inputs (tools/kube/go.mod, go.sum, main.go, this script's flags, the Go
# version) next to it; when that matches, nothing is built.
#
# Cost, measured on 2 CPUs with empty Go caches: see README "Local API server".
set -euo pipefail

KUBE_VERSION="v1.32.4" # = k8s.io/kubernetes in tools/kube/go.mod; = kubectl and the sleep jobs' image

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$root/tools/kube"
bin="$root/.tools/bin"
out="$bin/kube"
stamp="$bin/kube.inputs.sha256"

if ! grep -q "^require k8s.io/kubernetes $KUBE_VERSION\$\|^	k8s.io/kubernetes $KUBE_VERSION\$" "$module/go.mod"; then
  echo "build-apiserver: tools/kube/go.mod does not require k8s.io/kubernetes $KUBE_VERSION; keep them in step" >&2
  exit 1
fi

# The version the binaries report (`kubectl version`, /version); release builds set the same variables.
version_pkgs=(k8s.io/component-base/version k8s.io/client-go/pkg/version)
ldflags="-s -w"
minor="${KUBE_VERSION#v1.}"
minor="${minor%%.*}"
for pkg in "${version_pkgs[@]}"; do
  ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

if ! command -v go >/dev/null; then
  echo "build-apiserver: Go is required to build kube-apiserver $KUBE_VERSION (https://go.dev/dl/)" >&2
  exit 1
fi

want="$(cat "$module/go.mod" "$module/go.sum" "$module/main.go" <(echo "$ldflags") <(go env GOVERSION) | sha256sum | cut -d' ' -f1)"
if [[ -x "$out" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "kube-apiserver $KUBE_VERSION (+ etcd, kube-controller-manager): already built"
  exit 0
fi

mkdir -p "$bin"
echo "kube-apiserver $KUBE_VERSION (+ etcd, kube-controller-manager): building from tools/kube (first time only, ~7-9 min on 2 CPUs)..."
start=$SECONDS
# -mod=readonly: go.sum is the pin; a missing or changed checksum is an error, never an update.
(cd "$module" && go build -mod=readonly -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out.tmp" .)
mv "$out.tmp" "$out"
echo "$want" > "$stamp"
echo "kube: built in $((SECONDS - start)) s, $(du -h "$out" | cut -f1)"
"$out" kube-apiserver --version
