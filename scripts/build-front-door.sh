#!/usr/bin/env bash
# Builds the front door's moving parts for test/integration/front-door.test.ts, at the versions
# terraform/ installs and whose CRDs test/fixtures/ vendors: KEDA's operator (v2.21.0) and the KEDA
# HTTP add-on's interceptor and scaler (v0.15.0), from the Go module proxy. Links them into
# .tools/bin as keda, keda-http-interceptor and keda-http-scaler, and KEDA's own CRDs (all
# of them: its operator watches every kind it defines) from the module's config/crd/bases into
# .tools/keda-crds/.
#
# Each module is copied out of the read-only module cache and built in its own directory with its
# own go.mod and go.sum (the pins; -mod=readonly). Cached outside the clone by input hash
# (scripts/lib/tools.sh). Cost: ~18 min on 2 CPUs once (KEDA ~14, the add-on ~4).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_go

KEDA_VERSION="v2.21.0"     # = test/fixtures/keda/README.md, terraform/ chart_versions.keda
ADD_ON_VERSION="v0.15.0"   # = test/fixtures/http-add-on/README.md, terraform/ chart_versions.keda_http_add_on

# This script is the build recipe: its text is part of the key.
hash="$(cat "${BASH_SOURCE[0]}" <(go env GOVERSION GOOS GOARCH) | input_hash)"

build() {
  set -euo pipefail
  local src="$out/.src"
  mkdir -p "$src"
  copy_module() { # module@version -> directory name
    local dir
    dir="$(go mod download -json "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
    cp -r "$dir" "$src/$2" && chmod -R u+w "$src/$2"
  }
  copy_module "github.com/kedacore/http-add-on@$ADD_ON_VERSION" http-add-on
  (cd "$src/http-add-on" && go build -v -mod=readonly -trimpath -buildvcs=false -ldflags "-s -w" -o "$out/keda-http-interceptor" ./interceptor)
  (cd "$src/http-add-on" && go build -v -mod=readonly -trimpath -buildvcs=false -ldflags "-s -w" -o "$out/keda-http-scaler" ./scaler)
  copy_module "github.com/kedacore/keda/v2@$KEDA_VERSION" keda
  # Named keda, as in KEDA's image: the API server records a client's binary name as its field
  # manager, which `devfleet status` reads (generators/lifecycle/env-state.ts KEDA_FIELD_MANAGER).
  (cd "$src/keda" && go build -v -mod=readonly -trimpath -buildvcs=false -ldflags "-s -w" -o "$out/keda" ./cmd/operator)
  mkdir -p "$out/crds"
  cp "$src/keda/config/crd/bases/"*.yaml "$out/crds/"
  cp "$src/keda/LICENSE" "$out/crds/LICENSE"
  rm -rf "$src"
}
export -f build
export KEDA_VERSION ADD_ON_VERSION
cached_build keda "$hash" "KEDA $KEDA_VERSION + HTTP add-on $ADD_ON_VERSION (operator, interceptor, scaler)" "~18 min on 2 CPUs" bash -c build
ln -sfn "$tools_cache/keda-$hash/crds" "$tools_root/.tools/keda-crds"
