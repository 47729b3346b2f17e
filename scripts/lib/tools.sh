# Shared by scripts/install-tools.sh and the build-*.sh scripts (sourced, not run).
#
# Every pinned tool is built once per machine into a cache OUTSIDE the clone, keyed by a hash of
# everything that goes into the build (module, version, go.mod/go.sum/main.go, flags, Go version):
#
#   ${DEVFLEET_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devfleet/tools}/<name>-<hash>/
#
# and .tools/bin/<name> (git-ignored) is a symbolic link into it. A fresh clone on a machine that
# built the tools once links them in seconds; a changed input changes the hash and builds anew (old
# entries stay until you delete the cache folder). Two clones building the same entry at once
# wait for each other (flock) instead of building twice.

tools_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The pinned versions and build times (HELM_VERSION, KUBE_BUILD_MINUTES, ...): their one home.
# shellcheck source=../../tools/versions.env
source "$tools_root/tools/versions.env"
tools_bin="$tools_root/.tools/bin"
tools_cache="${DEVFLEET_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devfleet/tools}"
mkdir -p "$tools_bin" "$tools_cache"

require_go() {
  if ! command -v go >/dev/null; then
    echo "install-tools: Go is required to build the pinned tools (https://go.dev/dl/)" >&2
    exit 1
  fi
}

# sha256 of stdin, first 16 hex digits (enough to tell builds apart).
input_hash() { sha256sum | cut -c1-16; }

# cached_build <name> <hash> <what (for messages)> <estimate (for messages)> <command...>
# Runs <command...> with $out set to an empty directory unless the cache already holds <name>-<hash>;
# the command must leave the executable(s) in $out. Then links .tools/bin/<name> (and every other
# executable the entry holds) to the cache. While the command runs a progress line is printed every
# 30 s; its output goes to a log whose tail is shown if it fails.
cached_build() {
  local name="$1" hash="$2" what="$3" estimate="$4"
  shift 4
  local entry="$tools_cache/$name-$hash"
  if [[ ! -f "$entry/.complete" ]]; then
    exec {lock}>"$entry.lock"
    flock "$lock"
    if [[ ! -f "$entry/.complete" ]]; then
      local tmp="$entry.tmp.$$" log="$tools_cache/$name-$hash.log" start=$SECONDS
      rm -rf "$tmp" && mkdir -p "$tmp"
      echo "$what: building (first time on this machine, $estimate; log: $log)..."
      (out="$tmp" "$@") >"$log" 2>&1 &
      local pid=$!
      progress "$what" "$log" "$start" "$pid" &
      local ticker=$!
      if ! wait "$pid"; then
        kill "$ticker" 2>/dev/null || true
        wait "$ticker" 2>/dev/null || true
        echo "$what: BUILD FAILED after $((SECONDS - start)) s; last lines of $log:" >&2
        tail -n 30 "$log" >&2
        rm -rf "$tmp"
        exec {lock}>&-
        exit 1
      fi
      kill "$ticker" 2>/dev/null || true
      wait "$ticker" 2>/dev/null || true
      touch "$tmp/.complete"
      rm -rf "$entry" && mv "$tmp" "$entry"
      echo "$what: built in $((SECONDS - start)) s ($(du -sh "$entry" | cut -f1) in $entry)"
    fi
    exec {lock}>&-
  else
    echo "$what: already built (cache $entry)"
  fi
  local f
  for f in "$entry"/*; do
    [[ -x "$f" && -f "$f" ]] && ln -sfn "$f" "$tools_bin/$(basename "$f")"
  done
  return 0
}

# A line every 30 s while a build runs: elapsed time and, for `go build -v` logs, packages compiled.
progress() { # <what> <log> <start> <pid>
  local what="$1" log="$2" start="$3" pid="$4"
  while kill -0 "$pid" 2>/dev/null; do
    sleep 30
    kill -0 "$pid" 2>/dev/null || break
    local n
    n="$(grep -cv '^go: \|^#\|^\s' "$log" 2>/dev/null || true)"
    echo "$what: still building, $(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s, ${n:-0} packages compiled so far"
  done
}

# go_install_tool <binary> <module> <package> <version> <ldflags> <estimate>
# `go install package@version` into the cache (the version is the pin; go.sum checking by the proxy's
# checksum database). -trimpath and the pinned version keep the binary reproducible.
go_install_tool() {
  local binary="$1" module="$2" package="$3" version="$4" ldflags="$5" estimate="$6"
  require_go
  local hash
  hash="$(printf '%s\n' "$binary" "$module" "$package" "$version" "$ldflags" "$(go env GOVERSION GOOS GOARCH)" | input_hash)"
  cached_build "$binary" "$hash" "$binary $version" "$estimate" \
    bash -c 'GOBIN="$out" go install -v -trimpath -ldflags "-s -w $1" "$2@$3"' _ "$ldflags" "$package" "$version"
}
