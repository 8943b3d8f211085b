#!/usr/bin/env bash
# MLflow ingest and history read: the packaged platform with its embedded PostgreSQL, 4 clients each sending
# log-batch calls of 1,000 metric points to a run of their own, then the first run's history (100,000 points by
# default) read 5 times; the server time of a read is the platform's Server-Timing header.
# Usage: bench/mlflow-ingest.sh [clients (4)] [batches per client (100)] [history reads (5)]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-4}
batches=${2:-100}
reads=${3:-5}
[ -f platform/app/target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -pl platform/app -am package -DskipTests
port=8094
home=$(mktemp -d)
password=bench-password-$RANDOM$RANDOM
SWEEPLAB_HOME=$home QUARKUS_HTTP_PORT=$port SWEEPLAB_ADMIN_PASSWORD=$password SWEEPLAB_WORKER_ENABLED=false \
    java -jar platform/app/target/quarkus-app/quarkus-run.jar > "$home/log" 2>&1 &
pid=$!
trap 'kill $pid; wait $pid 2> /dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 1 90); do curl -sf -u "admin:$password" "localhost:$port/q/health/ready" > /dev/null && break; sleep 1; done
curl -sf -u "admin:$password" -XPOST -H 'content-type: application/json' -d '{"slug":"bench","name":"Bench"}' \
    "localhost:$port/api/teams" > /dev/null
# a write token, as MLFLOW_TRACKING_TOKEN: a password would be checked (bcrypt) on every call
token=$(curl -sf -u "admin:$password" -XPOST -H 'content-type: application/json' -d '{"name":"bench","scope":"write"}' \
    "localhost:$port/api/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
java bench/src/main/java/io/sweeplab/bench/MlflowIngestBenchmark.java "http://localhost:$port" "" "$token" \
    "$clients" "$batches" "$reads" bench
