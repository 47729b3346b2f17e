#!/usr/bin/env bash
# The front door, for real, on the local control plane (scripts/cluster.ts: API server and
# controller manager, no nodes): KEDA's operator and the KEDA HTTP add-on's interceptor and scaler
# run as local processes, built from the Go module proxy at the versions whose CRDs are vendored in
# test/fixtures/ (and which terraform/ installs). alice's shop env (no scheduled wake) and my-app
# (a wake at 09:00 on weekdays) are applied as `devfleet render` prints them. The script checks that
#   1. one request with shop's Host header gets the "starting" page and takes its Deployment 0 -> 1;
#   2. after the quiet period (shop's cooldown shortened to 60 s) KEDA takes it back to 0;
#   3. `devfleet up` as alice holds it awake through KEDA until KEDA records the activity, and the
#      cooldown then counts from there.
# Exit 0 when all hold. Builds take a while on 2 CPUs (the add-on about 4 minutes, KEDA about 14,
# one at a time, into the git-ignored .tools/front-door/; later runs reuse them) and need network
# access to the Go module proxy. Everything it starts is stopped at the end.
#
#   bash scripts/front-door-proof.sh
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$REPO/.tools/front-door
BIN=$OUT/bin
LOG=$OUT/logs
mkdir -p "$BIN" "$LOG" "$OUT/src"
KEDA_VERSION=v2.21.0       # test/fixtures/keda/README.md
ADD_ON_VERSION=v0.15.0     # test/fixtures/http-add-on/README.md
PROXY=18080 ADMIN=19090 SCALER=19091
HOST_IP=$(hostname -I | awk '{print $1}')
export KUBECONFIG=$REPO/.cluster/kubeconfig
ts() { date -u +%H:%M:%S; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# One module at a time: copy it out of the module cache (read-only) and build there.
build() { # module@version, output name, package...
  local module=$1 name=$2; shift 2
  local dir
  dir=$(go mod download -json "$module" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
  rm -rf "$OUT/src/$name" && cp -r "$dir" "$OUT/src/$name" && chmod -R u+w "$OUT/src/$name"
  (cd "$OUT/src/$name" && nice -n 10 go build -o "$BIN/" "$@")
}
[ -x "$BIN/interceptor" ] && [ -x "$BIN/scaler" ] || { echo "$(ts) building the HTTP add-on $ADD_ON_VERSION"; build "github.com/kedacore/http-add-on@$ADD_ON_VERSION" http-add-on ./interceptor ./scaler; }
[ -x "$BIN/keda" ] || { echo "$(ts) building KEDA $KEDA_VERSION"; build "github.com/kedacore/keda/v2@$KEDA_VERSION" keda ./cmd/operator && mv "$BIN/operator" "$BIN/keda"; }
KEDA_SRC=$(go mod download -json "github.com/kedacore/keda/v2@$KEDA_VERSION" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  (cd "$REPO" && npx tsx scripts/cluster.ts down) > /dev/null 2>&1 || true
}
trap cleanup EXIT

echo "$(ts) control plane"
(cd "$REPO" && npx tsx scripts/cluster.ts up) > "$LOG/cluster.log" 2>&1
kubectl apply --server-side -f "$KEDA_SRC/config/crd/bases/" -f "$REPO/test/fixtures/http-add-on/http.keda.sh_interceptorroutes.yaml" -f "$REPO/test/fixtures/http-add-on/http.keda.sh_httpscaledobjects.yaml" > /dev/null
kubectl wait --for=condition=Established crd --all --timeout=60s > /dev/null
for ns in keda ambassador; do kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - > /dev/null; done
kubectl apply --server-side -f "$REPO/clusters/dev/apps/platform/" -f "$REPO/clusters/dev/apps/namespaces/alice.yaml" > /dev/null

echo "$(ts) alice's shop and my-app as rendered (without the ExternalSecrets: no External Secrets Operator here)"
(cd "$REPO" && npx devfleet render --cluster dev --env alice/shop && npx devfleet render --cluster dev --env alice/my-app) > "$OUT/envs.yaml"
python3 - "$OUT/envs.yaml" > "$OUT/envs-kept.yaml" <<'PY'
import sys, yaml
keep = ('ServiceAccount', 'Service', 'Deployment', 'InterceptorRoute', 'ScaledObject')
print(yaml.safe_dump_all([d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d['kind'] in keep]))
PY
kubectl apply --server-side -n dev-alice -f "$OUT/envs-kept.yaml" > /dev/null 2>&1
# The scaler's Service name resolves inside a cluster only: point the push triggers at the local
# scaler. shop's cooldown (idleMinutes x 60 = 3600 s) becomes 60 s so the proof ends in minutes.
for so in shop my-app; do
  kubectl get scaledobject "$so" -n dev-alice -o json | python3 -c "
import json, sys
so = json.load(sys.stdin)
ops = [{'op': 'replace', 'path': f'/spec/triggers/{i}/metadata/scalerAddress', 'value': '127.0.0.1:$SCALER'} for i, t in enumerate(so['spec']['triggers']) if t['type'] == 'external-push']
if so['metadata']['name'] == 'shop': ops.append({'op': 'replace', 'path': '/spec/cooldownPeriod', 'value': 60})
print(json.dumps(ops))" > "$OUT/patch-$so.json"
  kubectl patch scaledobject "$so" -n dev-alice --type=json --patch-file "$OUT/patch-$so.json" > /dev/null
done

# The interceptor's admin Service as the add-on's chart names it, with this machine as its endpoint
# (the scaler finds interceptors through it; an EndpointSlice may not hold a loopback address).
kubectl apply -f - > /dev/null <<YAML
apiVersion: v1
kind: Service
metadata: { name: keda-add-ons-http-interceptor-admin, namespace: keda }
spec: { ports: [{ name: admin, port: $ADMIN }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: keda-add-ons-http-interceptor-admin-local, namespace: keda, labels: { kubernetes.io/service-name: keda-add-ons-http-interceptor-admin } }
addressType: IPv4
ports: [{ name: admin, port: $ADMIN }]
endpoints: [{ addresses: ["$HOST_IP"], conditions: { ready: true } }]
YAML
mkdir -p "$OUT/certs"
[ -f "$OUT/certs/tls.crt" ] || { openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=keda-operator.keda.svc" -addext "subjectAltName=DNS:keda-operator.keda.svc,DNS:localhost,IP:127.0.0.1" -keyout "$OUT/certs/tls.key" -out "$OUT/certs/tls.crt" 2>/dev/null && cp "$OUT/certs/tls.crt" "$OUT/certs/ca.crt"; }

echo "$(ts) interceptor, scaler and KEDA's operator"
KEDA_HTTP_PROXY_PORT=$PROXY KEDA_HTTP_ADMIN_PORT=$ADMIN OTEL_PROM_EXPORTER_ENABLED=false KEDA_HTTP_LOG_REQUESTS=true "$BIN/interceptor" > "$LOG/interceptor.log" 2>&1 &
PIDS+=($!)
KEDA_HTTP_SCALER_PORT=$SCALER KEDA_HTTP_SCALER_TARGET_ADMIN_NAMESPACE=keda KEDA_HTTP_SCALER_TARGET_ADMIN_SERVICE=keda-add-ons-http-interceptor-admin \
  KEDA_HTTP_SCALER_TARGET_ADMIN_DEPLOYMENT=keda-add-ons-http-interceptor KEDA_HTTP_SCALER_TARGET_ADMIN_PORT=$ADMIN OTEL_PROM_EXPORTER_ENABLED=false "$BIN/scaler" > "$LOG/scaler.log" 2>&1 &
PIDS+=($!)
# KEDA_RESTRICT_SECRET_ACCESS=true is what the chart value permissions.operator.restrict.secret
# sets (terraform/modules/platform/front-door.tf): without it KEDA resolves the env Secrets of the
# target's first container and will not scale while one is missing.
WATCH_NAMESPACE="" POD_NAMESPACE=keda KEDA_CLUSTER_OBJECT_NAMESPACE=keda KEDA_RESTRICT_SECRET_ACCESS=true \
  "$BIN/keda" --cert-dir="$OUT/certs" --metrics-bind-address=127.0.0.1:18082 --health-probe-bind-address=127.0.0.1:18083 \
  --metrics-service-bind-address=127.0.0.1:19666 --enable-webhook-patching=false --enable-apiservice-patching=false > "$LOG/keda.log" 2>&1 &
PIDS+=($!)
replicas() { kubectl get deployment "$1" -n dev-alice -o jsonpath='{.spec.replicas}'; }
ready() { kubectl get scaledobject "$1" -n dev-alice -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'; }
wait_for() { # what, seconds, condition (a shell expression, evaluated once a second)
  local what=$1 seconds=$2 condition=$3
  for _ in $(seq 1 "$seconds"); do eval "$condition" && return 0; sleep 1; done
  fail "$what not within $seconds s"
}
wait_for "shop's ScaledObject Ready" 60 '[ "$(ready shop)" = True ]'
status() { (cd "$REPO" && KUBECONFIG=$REPO/.cluster/kubeconfig-alice npx devfleet status --developer alice) | grep -E 'PROJECT|shop|my-app'; }
[ "$(replicas shop)" = 0 ] || fail "shop is not asleep before the request"
echo "$(ts) shop asleep; my-app replicas $(replicas my-app) (Tokyo: $(TZ=Asia/Tokyo date +'%a %H:%M'); its scheduled wake is 09:00-22:00 on weekdays)"

echo "$(ts) 1. one request with shop's Host header"
code=$(curl -s -o "$OUT/page.html" -D "$OUT/headers.txt" -w '%{http_code}' -H 'Host: shop-example-com--alice.dev.example.com' "http://127.0.0.1:$PROXY/")
[ "$code" = 503 ] || fail "the sleeping env answered $code, not the 503 starting page"
grep -q '<h1>Starting shop for alice</h1>' "$OUT/page.html" || fail "the page does not say which env is starting"
grep -qi '^refresh: 5' "$OUT/headers.txt" || fail "no Refresh header"
wait_for "shop at 1 replica" 30 '[ "$(replicas shop)" = 1 ]'
woken=$(ts)
echo "$woken shop 0 -> 1, scaled by: $(kubectl get deployment shop -n dev-alice --show-managed-fields -o jsonpath='{range .metadata.managedFields[?(@.subresource=="scale")]}{.manager}{end}')"
status

echo "$(ts) 2. quiet: no request (the one-minute request-rate window, then the 60 s cooldown)"
wait_for "shop back at 0" 300 '[ "$(replicas shop)" = 0 ]'
echo "$(ts) shop 1 -> 0 (woken at $woken)"

echo "$(ts) 3. devfleet up as alice"
(cd "$REPO" && KUBECONFIG=$REPO/.cluster/kubeconfig-alice npx devfleet up shop --developer alice) 2>&1 | sed 's/^/   /'
[ "$(replicas shop)" = 1 ] || fail "up did not wake shop"
[ -z "$(kubectl get scaledobject shop -n dev-alice -o jsonpath='{.metadata.annotations.autoscaling\.keda\.sh/force-activation}')" ] || fail "up left the force-activation annotation"
up_at=$(ts)
echo "$up_at shop awake, annotation removed, KEDA's lastActiveTime $(kubectl get scaledobject shop -n dev-alice -o jsonpath='{.status.lastActiveTime}')"
sleep 40
[ "$(replicas shop)" = 1 ] || fail "KEDA put shop back to sleep before its cooldown"
wait_for "shop back at 0 after the cooldown" 120 '[ "$(replicas shop)" = 0 ]'
echo "$(ts) shop 1 -> 0, one cooldown after up ($up_at)"
echo "OK: request wakes, quiet sleeps, up holds through KEDA"
