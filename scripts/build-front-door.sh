#!/usr/bin/env bash
# Builds the front door's moving parts for test/integration/front-door.test.ts, at the versions
# terraform/ installs and whose CRDs test/fixtures/ vendors (tools/versions.env KEDA_VERSION,
# KEDA_HTTP_ADD_ON_VERSION): KEDA's operator and the KEDA HTTP add-on's interceptor and scaler,
# from the Go module proxy. Links them into .tools/bin as keda, keda-http-interceptor and
# keda-http-scaler, and KEDA's own CRDs (all of them: its operator watches every kind it defines)
# from the module's config/crd/bases into .tools/keda-crds/.
#
# Each module is copied out of the read-only module cache and built in its own directory with its
# own go.mod and go.sum (the pins; -mod=readonly). Cached outside the clone by input hash
# (scripts/lib/tools.sh). Cost: tools/versions.env FRONT_DOOR_BUILD_MINUTES.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"
require_go

# What is built, one binary a line: <name> <module@version> <package>. With the flags, KEDA's CRDs
# and the Go version this is the cache key: a change to any of them builds anew, a change to a
# comment does not. The operator is named keda, as in KEDA's image: the API server records a
# client's binary name as its field manager, which `devfleet status` reads
# (generators/lifecycle/env-state.ts KEDA_FIELD_MANAGER).
targets="keda-http-interceptor github.com/kedacore/http-add-on@$KEDA_HTTP_ADD_ON_VERSION ./interceptor
keda-http-scaler github.com/kedacore/http-add-on@$KEDA_HTTP_ADD_ON_VERSION ./scaler
keda github.com/kedacore/keda/v2@$KEDA_VERSION ./cmd/operator"
flags="go build -v -mod=readonly -trimpath -buildvcs=false -ldflags -s -w"
crds="github.com/kedacore/keda/v2@$KEDA_VERSION config/crd/bases/*.yaml LICENSE"
hash="$(printf '%s\n' "$targets" "$flags" "$crds" "$(go env GOVERSION GOOS GOARCH)" | input_hash)"

build() {
  set -euo pipefail
  local src="$out/.src" name module package dir
  mkdir -p "$src"
  while read -r name module package; do
    dir="$src/${module//[\/@]/_}"
    if [[ ! -d "$dir" ]]; then
      cp -r "$(go mod download -json "$module" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')" "$dir"
      chmod -R u+w "$dir"
    fi
    (cd "$dir" && go build -v -mod=readonly -trimpath -buildvcs=false -ldflags "-s -w" -o "$out/$name" "$package")
  done <<<"$targets"
  read -r module _ <<<"$crds"
  dir="$src/${module//[\/@]/_}"
  mkdir -p "$out/crds"
  cp "$dir/config/crd/bases/"*.yaml "$out/crds/"
  cp "$dir/LICENSE" "$out/crds/LICENSE"
  rm -rf "$src"
}
export -f build
export targets crds
cached_build keda "$hash" "KEDA $KEDA_VERSION + HTTP add-on $KEDA_HTTP_ADD_ON_VERSION (operator, interceptor, scaler)" "~$FRONT_DOOR_BUILD_MINUTES min on 2 CPUs" bash -c build
ln -sfn "$tools_cache/keda-$hash/crds" "$tools_root/.tools/keda-crds"
